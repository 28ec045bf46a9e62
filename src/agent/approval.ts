import type { RunSettings, ToolCallRecord } from "../store/records.ts";
import type { Tool } from "../tools/tool.ts";

export type ApprovalAnswer = "approve" | "deny" | "always";

/** Asks a person about one tool call (a terminal prompt); absent when nobody can be asked right now. */
export type Approver = (request: { toolName: string; input: string; interrupted: boolean }) => Promise<ApprovalAnswer>;

export type ApprovalVerdict = "run" | "deny" | "ask";

/** True when running the call twice has the effect of running it once (read-only tools always are). */
export const isIdempotent = (tool: Tool): boolean => tool.readOnly || tool.idempotent === true;

/** A call that started and never finished: a crash, a kill or a lost lease stopped it midway. */
export const isInterrupted = (call: ToolCallRecord): boolean => call.status === "started";

/** What the approval policy says of a call, before any person is asked. */
export function approvalVerdict(call: ToolCallRecord, tool: Tool, settings: RunSettings): ApprovalVerdict {
  if (call.status === "approved") return "run";
  // It may have had its side effects already: only a person's answer for this very call re-runs it, never a policy.
  if (isInterrupted(call) && !isIdempotent(tool)) return "ask";
  const needsPerson = tool.needsApproval && !settings.alwaysAllowedTools.includes(tool.name);
  if (!needsPerson || settings.approval === "auto") return "run";
  if (settings.approval === "deny") return "deny";
  return "ask";
}

export const denialText = (toolName: string, byPolicy: boolean) =>
  byPolicy
    ? `The approval policy (--approval deny) refused ${toolName}. Do not retry it; finish without it or explain.`
    : `The user denied this ${toolName} call. Do not retry it; adapt the plan.`;
