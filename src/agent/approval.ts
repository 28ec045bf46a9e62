import type { RunSettings, ToolCallRecord } from "../store/records.ts";
import type { Tool } from "../tools/tool.ts";

export type ApprovalAnswer = "approve" | "deny" | "always";

/** Asks a person about one tool call (a terminal prompt); absent when nobody can be asked right now. */
export type Approver = (request: { toolName: string; input: string; interrupted: boolean }) => Promise<ApprovalAnswer>;

export type ApprovalVerdict = "run" | "deny" | "ask";

/** What the approval policy says of a call, before any person is asked. */
export function approvalVerdict(call: ToolCallRecord, tool: Tool, settings: RunSettings): ApprovalVerdict {
  if (call.status === "approved") return "run";
  // A call that started and never finished may have had side effects: re-running it is the user's decision.
  const interrupted = call.status === "started";
  const needsPerson = interrupted || (tool.needsApproval && !settings.alwaysAllowedTools.includes(tool.name));
  if (!needsPerson || settings.approval === "auto") return "run";
  if (settings.approval === "deny" && !interrupted) return "deny";
  return "ask";
}

export const denialText = (toolName: string, byPolicy: boolean) =>
  byPolicy
    ? `The approval policy (--approval deny) refused ${toolName}. Do not retry it; finish without it or explain.`
    : `The user denied this ${toolName} call. Do not retry it; adapt the plan.`;
