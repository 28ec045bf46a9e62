import type { HookProcessResult } from "./hook-process.ts";

/** What one hook said, in Claude Code's terms, read from its exit code and its stdout JSON. */
export interface HookVerdict {
  /** Exit 2 (its stderr), `decision: "block"`, `permissionDecision: "deny"`, `continue: false`: the reason. */
  block?: string;
  /** `permissionDecision: "allow"` (PreToolUse) or `decision.behavior: "allow"` (PermissionRequest). */
  allow?: boolean;
  /** `permissionDecision: "ask"`: a person must answer, whatever the approval policy says. */
  ask?: boolean;
  /** `updatedInput`: the tool runs with this input instead. */
  updatedInput?: Record<string, unknown>;
  /** `additionalContext`, or plain stdout of UserPromptSubmit and SessionStart: added to what the model reads. */
  additionalContext?: string;
  /** Exit codes other than 0 and 2, a timeout, a failure to start: reported, then treated as allow. */
  failure?: { timedOut: boolean; message: string };
}

const record = (value: unknown): Record<string, unknown> | undefined =>
  value && typeof value === "object" && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
const text = (value: unknown): string | undefined => (typeof value === "string" && value !== "" ? value : undefined);

/** Reads a finished hook; `plainStdoutIsContext` for the events where Claude Code adds plain stdout as context. */
export function hookVerdict(result: HookProcessResult, plainStdoutIsContext: boolean): HookVerdict {
  if (result.kind === "timed-out") {
    return { failure: { timedOut: true, message: `timed out after ${result.timeoutSeconds} s (killed)` } };
  }
  if (result.kind === "failed") return { failure: { timedOut: false, message: result.message } };
  if (result.exitCode === 2) return { block: result.stderr.trim() || "blocked by a hook (exit code 2)" };
  if (result.exitCode !== 0) {
    const said = result.stderr.trim().split("\n")[0];
    return { failure: { timedOut: false, message: `exit code ${result.exitCode}${said ? `: ${said}` : ""}` } };
  }
  const output = result.stdout.trim();
  const json = output.startsWith("{") ? parseJson(output) : undefined;
  if (!json) return plainStdoutIsContext && output !== "" ? { additionalContext: output } : {};
  return jsonVerdict(json);
}

function parseJson(output: string): Record<string, unknown> | undefined {
  try {
    return record(JSON.parse(output));
  } catch {
    return undefined;
  }
}

function jsonVerdict(json: Record<string, unknown>): HookVerdict {
  const verdict: HookVerdict = {};
  const specific = record(json.hookSpecificOutput) ?? {};
  const reason = text(json.reason);
  // `decision` is PostToolUse/UserPromptSubmit/Stop's block, and PreToolUse's older approve|block.
  if (json.decision === "block") verdict.block = reason ?? "blocked by a hook";
  if (json.decision === "approve") verdict.allow = true;
  const permission = specific.permissionDecision;
  const permissionReason = text(specific.permissionDecisionReason) ?? reason;
  if (permission === "deny") verdict.block = permissionReason ?? "denied by a hook";
  if (permission === "allow") verdict.allow = true;
  if (permission === "ask") verdict.ask = true;
  // PermissionRequest answers with a behaviour.
  const answer = record(specific.decision);
  if (answer?.behavior === "deny") verdict.block = text(answer.message) ?? "denied by a hook";
  if (answer?.behavior === "allow") verdict.allow = true;
  const updatedInput = record(specific.updatedInput) ?? record(answer?.updatedInput);
  if (updatedInput) verdict.updatedInput = updatedInput;
  const context = text(specific.additionalContext);
  if (context) verdict.additionalContext = context;
  if (json.continue === false) verdict.block = text(json.stopReason) ?? verdict.block ?? "stopped by a hook";
  return verdict;
}
