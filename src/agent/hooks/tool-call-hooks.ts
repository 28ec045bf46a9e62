import type { ToolCallRecord } from "../../store/records.ts";
import type { Workspace } from "../../tools/workspace.ts";
import type { RunEvent } from "../run-events.ts";
import type { AgentRuntime } from "../runtime.ts";
import { fireHooks, type HookSite, hasHooks } from "./fire-hooks.ts";

/** What the tool-call path gives hooks (ToolCallsContext has it all). */
export interface ToolHookContext {
  runtime: AgentRuntime;
  runId: string;
  workspace: Workspace;
  signal: AbortSignal;
  emit: (event: RunEvent) => void;
  warnOnce: (message: string) => void;
}

const site = (context: ToolHookContext): HookSite => ({
  hooks: context.runtime.hooks,
  policy: context.runtime.toolPolicy,
  workspace: context.workspace.root,
  signal: context.signal,
  emit: context.emit,
  warn: context.warnOnce,
  runId: context.runId,
});

// Claude Code sends the input as an object; a model's broken JSON goes as it came, under `raw`.
function toolInput(input: string): Record<string, unknown> {
  try {
    const parsed: unknown = JSON.parse(input);
    if (parsed && typeof parsed === "object" && !Array.isArray(parsed)) return parsed as Record<string, unknown>;
  } catch {}
  return { raw: input };
}

/** `context`: what the hooks' additionalContext adds, shown to the model with the call's output. */
type PreToolUseAnswer = { blocked: string } | { input: string; allow: boolean; context: string[] };

// A call whose PreToolUse hooks ran before a person would have been asked: runOne does not run them again.
const answeredEarly = new WeakMap<ToolCallRecord, PreToolUseAnswer>();

async function preToolUse(context: ToolHookContext, call: ToolCallRecord): Promise<PreToolUseAnswer> {
  if (!hasHooks(context.runtime.hooks, "PreToolUse", call.toolName)) {
    return { input: call.input, allow: false, context: [] };
  }
  const verdict = await fireHooks(
    site(context),
    "PreToolUse",
    { tool_name: call.toolName, tool_input: toolInput(call.input), tool_use_id: call.callId },
    { toolName: call.toolName },
  );
  if (verdict.block !== undefined) {
    return { blocked: `A PreToolUse hook blocked this ${call.toolName} call: ${verdict.block}` };
  }
  const input = verdict.updatedInput ? JSON.stringify(verdict.updatedInput) : call.input;
  return { input, allow: verdict.allow === true, context: verdict.additionalContext };
}

/**
 * PreToolUse, before the call runs: `blocked` is the text the call finishes with (an error the model reads);
 * otherwise the input to run it with (a hook's `updatedInput`, or the model's own) and the context hooks added.
 */
export async function beforeToolCall(
  context: ToolHookContext,
  call: ToolCallRecord,
): Promise<{ blocked: string } | { input: string; context: string[] }> {
  const early = answeredEarly.get(call);
  answeredEarly.delete(call);
  return early ?? (await preToolUse(context, call));
}

/**
 * Where a person would be asked, hooks answer first, in Claude Code's order: PreToolUse (a block finishes the call,
 * an allow runs it without asking), then PermissionRequest (allow or deny). An interrupted call is never answered by
 * a hook: only a person re-runs a call that may have had its effects. Undefined: ask as usual.
 */
export async function answerBeforeAsking(
  context: ToolHookContext,
  call: ToolCallRecord,
): Promise<{ allow: true } | { blocked: string } | { deny: string } | undefined> {
  if (call.status === "started") return undefined;
  const early = await preToolUse(context, call);
  if ("blocked" in early) return early;
  answeredEarly.set(call, early);
  if (early.allow) return { allow: true };
  return await permissionFromHooks(context, call);
}

/**
 * PostToolUse, after the call ran: the output the model reads, with what the hooks add (stored with the call),
 * PreToolUse's additionalContext first.
 */
export async function afterToolCall(
  context: ToolHookContext,
  call: ToolCallRecord,
  before: { input: string; context: string[] },
  outcome: { output: string; isError: boolean },
): Promise<string> {
  const input = before.input;
  if (!hasHooks(context.runtime.hooks, "PostToolUse", call.toolName)) {
    return [outcome.output, ...before.context].join("\n\n");
  }
  const verdict = await fireHooks(
    site(context),
    "PostToolUse",
    {
      tool_name: call.toolName,
      tool_input: toolInput(input),
      tool_response: { output: outcome.output, is_error: outcome.isError },
      tool_use_id: call.callId,
    },
    { toolName: call.toolName },
  );
  const added = [
    ...before.context,
    ...(verdict.block !== undefined ? [`A PostToolUse hook says: ${verdict.block}`] : []),
    ...verdict.additionalContext,
  ];
  return added.length === 0 ? outcome.output : [outcome.output, ...added].join("\n\n");
}

/** PermissionRequest, where a person would be asked: a hook's allow or deny answers instead. */
async function permissionFromHooks(
  context: ToolHookContext,
  call: ToolCallRecord,
): Promise<{ allow: true } | { deny: string } | undefined> {
  if (!hasHooks(context.runtime.hooks, "PermissionRequest", call.toolName)) return undefined;
  const verdict = await fireHooks(
    site(context),
    "PermissionRequest",
    { tool_name: call.toolName, tool_input: toolInput(call.input), tool_use_id: call.callId },
    { toolName: call.toolName },
  );
  if (verdict.block !== undefined) {
    return { deny: `A PermissionRequest hook denied this ${call.toolName} call: ${verdict.block}` };
  }
  return verdict.allow ? { allow: true } : undefined;
}
