import type { RunSettings, ToolCallRecord } from "../store/records.ts";
import type { ToolCallChange } from "../store/store.ts";
import { invokeTool } from "../tools/invoke-tool.ts";
import type { JobTable } from "../tools/jobs/job-table.ts";
import type { Tool } from "../tools/tool.ts";
import { imagePlaceholder, type ToolImage } from "../tools/tool-output.ts";
import type { Workspace } from "../tools/workspace.ts";
import { type Approver, approvalVerdict, denialText } from "./approval.ts";
import { checkpointAfter, checkpointBefore } from "./checkpoints/tool-call-checkpoint.ts";
import { afterToolCall, answerBeforeAsking, beforeToolCall } from "./hooks/tool-call-hooks.ts";
import { planModeRefusal } from "./plan-mode.ts";
import type { RunEvent } from "./run-events.ts";
import { runningToolCall } from "./running-tool-call.ts";
import type { AgentRuntime } from "./runtime.ts";

export interface ToolCallsContext {
  runtime: AgentRuntime;
  runId: string;
  settings: RunSettings;
  tools: Tool[];
  workspace: Workspace;
  signal: AbortSignal;
  approver?: Approver;
  /** Renews the run's lease; throws when another process has taken the run over, so nothing more is written. */
  keepLease: () => Promise<void>;
  /** Queues a call's finish for the run's next write (its next step start), or a write of its own within 50 ms. */
  changeToolCall: (callId: string, change: ToolCallChange) => void;
  /** Told when a call is about to run, its start recorded (telemetry starts its span). */
  onToolStart?: (call: ToolCallRecord) => void;
  /** Calls the step commit marked started (they run without asking): they are not started, or asked about, again. */
  startedInCommit: Set<string>;
  emit: (event: RunEvent) => void;
  /** A `warning` event, sent once per run for each distinct message. */
  warnOnce: (message: string) => void;
  /** The run's model reads images (catalog `vision`). */
  vision: boolean;
  /** The run's background jobs (run_command `background: true`). */
  jobs?: JobTable;
}

const now = () => new Date().toISOString();

/**
 * Runs a step's tool calls under the approval policy. Each call is recorded as started before it runs (by the step
 * commit, or on its own) and finished after, so a crash in between shows on resume. Read-only calls run together; others one at a time.
 * Returns the calls still waiting for a person.
 */
export async function runToolCalls(context: ToolCallsContext, calls: ToolCallRecord[]): Promise<ToolCallRecord[]> {
  const { runtime, runId, settings } = context;
  await context.keepLease();
  const runnable: { call: ToolCallRecord; tool: Tool }[] = [];
  const waiting: ToolCallRecord[] = [];
  for (const call of [...calls].sort((left, right) => left.position - right.position)) {
    if (call.status === "finished" || call.status === "denied") continue;
    // Calls after one that waits for a person stay planned: they may depend on it, and order is the model's plan.
    if (waiting.length > 0) break;
    const tool = context.tools.find((candidate) => candidate.name === call.toolName);
    if (!tool) {
      const available = context.tools.map((candidate) => candidate.name).join(", ");
      await finish(context, call, `Unknown tool "${call.toolName}". Available tools: ${available}.`, true);
      continue;
    }
    // A call plan mode refuses is not asked about: runOne finishes it with the reason.
    const refused = planModeRefusal(settings, tool, call.input) !== undefined;
    const verdict = context.startedInCommit.has(call.callId) || refused ? "run" : approvalVerdict(call, tool, settings);
    // Where a person would be asked, PreToolUse and PermissionRequest hooks may answer first.
    const hookAnswer = verdict === "ask" ? await answerBeforeAsking(context, call) : undefined;
    if (hookAnswer) {
      if ("allow" in hookAnswer) runnable.push({ call, tool });
      else if ("blocked" in hookAnswer) await finish(context, call, hookAnswer.blocked, true);
      else await deny(context, call, false, hookAnswer.deny);
      continue;
    }
    if (verdict === "ask" && context.approver) {
      const answer = await context.approver({
        toolName: call.toolName,
        input: call.input,
        interrupted: call.status === "started",
      });
      if (answer === "always") {
        settings.alwaysAllowedTools = [...new Set([...settings.alwaysAllowedTools, tool.name])];
        await runtime.store.updateRunSettings(runId, settings);
      }
      if (answer === "deny") await deny(context, call, false);
      else runnable.push({ call, tool });
      continue;
    }
    if (verdict === "run") runnable.push({ call, tool });
    else if (verdict === "deny") await deny(context, call, true);
    else {
      if (call.status !== "awaiting_approval" && call.status !== "started") {
        await runtime.store.updateToolCall(runId, call.callId, { status: "awaiting_approval" });
      }
      waiting.push(call);
    }
  }
  await runInGroups(context, runnable);
  return waiting;
}

async function runInGroups(context: ToolCallsContext, runnable: { call: ToolCallRecord; tool: Tool }[]) {
  let index = 0;
  while (index < runnable.length) {
    const group = [runnable[index]!];
    if (runnable[index]!.tool.readOnly) {
      while (index + group.length < runnable.length && runnable[index + group.length]!.tool.readOnly) {
        group.push(runnable[index + group.length]!);
      }
    }
    await Promise.all(group.map(({ call, tool }) => runOne(context, call, tool)));
    index += group.length;
  }
}

async function runOne(context: ToolCallsContext, call: ToolCallRecord, tool: Tool): Promise<void> {
  if (context.signal.aborted) return;
  const refusal = planModeRefusal(context.settings, tool, call.input);
  if (refusal !== undefined) {
    context.startedInCommit.delete(call.callId);
    return await finish(context, call, refusal, true);
  }
  await context.keepLease();
  // Only one process may start a call; a call another process finished meanwhile is not run again. A call the step
  // commit started is this process's already (the commit held the lease).
  if (!context.startedInCommit.delete(call.callId)) {
    if (!(await context.runtime.store.startToolCall(context.runId, call.callId, now()))) return;
  }
  context.onToolStart?.(call);
  // PreToolUse hooks: a block finishes the call as an error the model reads; they may change its input.
  const before = await beforeToolCall(context, call);
  if ("blocked" in before) return await finish(context, call, before.blocked, true);
  const running = { runtime: context.runtime, runId: context.runId, call, emit: context.emit };
  const checkpoint = await checkpointBefore(context, { ...call, input: before.input }, tool);
  const outcome = await runningToolCall.run(running, () =>
    invokeTool(tool, before.input, {
      workspace: context.workspace,
      signal: context.signal,
      policy: context.runtime.toolPolicy,
      warn: context.warnOnce,
      vision: context.vision,
      runId: context.runId,
      jobs: context.jobs,
      skills: context.settings.skills,
    }),
  );
  await checkpointAfter(context, checkpoint);
  // A call whose run was taken over meanwhile stays `started`: the new owner treats it as interrupted.
  await context.keepLease();
  const output = await afterToolCall(context, call, before, outcome);
  await finish(context, call, output, outcome.isError, outcome.images);
}

async function finish(
  context: ToolCallsContext,
  call: ToolCallRecord,
  output: string,
  isError: boolean,
  images: ToolImage[] = [],
) {
  const outputImages = images.length > 0 ? images : undefined;
  // Written with the run's next write: a crash before it leaves the call `started`, which resume treats as interrupted.
  context.changeToolCall(call.callId, { status: "finished", output, outputImages, isError, finishedAt: now() });
  Object.assign(call, { status: "finished", output, isError, ...(outputImages ? { outputImages } : {}) });
  // Events and transcripts name the images; their bytes stay in the tool call's row.
  context.emit({
    type: "tool-result",
    step: call.stepIndex,
    callId: call.callId,
    toolName: call.toolName,
    output,
    isError,
    ...(outputImages ? { images: outputImages.map(imagePlaceholder) } : {}),
  });
}

async function deny(context: ToolCallsContext, call: ToolCallRecord, byPolicy: boolean, reason?: string) {
  const output = reason ?? denialText(call.toolName, byPolicy);
  await context.runtime.store.updateToolCall(context.runId, call.callId, {
    status: "denied",
    output,
    isError: true,
    finishedAt: now(),
  });
  Object.assign(call, { status: "denied", output, isError: true });
  context.emit({
    type: "tool-result",
    step: call.stepIndex,
    callId: call.callId,
    toolName: call.toolName,
    output,
    isError: true,
  });
}
