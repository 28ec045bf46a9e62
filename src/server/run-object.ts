import type { ShownRunStatus } from "../agent/interrupted-run.ts";
import type { RunRecord, ToolCallRecord } from "../store/records.ts";
import { openAiUsage } from "./openai-usage.ts";

/**
 * A run as the API shows it; `pending_approvals` lists the tool calls a person must approve or deny. `status` is
 * the shown one when given (`interrupted` for a run whose process is gone); `duration_ms` runs on while it runs.
 */
export function runObject(
  run: RunRecord,
  toolCalls: readonly ToolCallRecord[] = [],
  status: ShownRunStatus = run.status,
  now = Date.now(),
) {
  return {
    id: run.id,
    object: "run",
    status,
    key_id: run.ownerKeyId ?? null,
    duration_ms: (status === "running" ? now : Date.parse(run.updatedAt)) - Date.parse(run.createdAt),
    agent: run.settings.agentName ?? null,
    model: run.settings.model,
    task: run.settings.task,
    created_at: run.createdAt,
    updated_at: run.updatedAt,
    step_count: run.stepCount,
    usage: openAiUsage(run.usage, run.costUsd),
    cost_usd: run.costUsd,
    budget_usd: run.settings.budgetUsd ?? null,
    // Set on a child run (an agent used as a tool): the run and tool call that started it.
    parent_run_id: run.parentRunId ?? null,
    parent_call_id: run.parentCallId ?? null,
    output: run.output ?? null,
    error: run.error ?? null,
    pending_approvals: toolCalls
      .filter(
        (call) =>
          call.status === "awaiting_approval" || (run.status === "awaiting_approval" && call.status === "started"),
      )
      .map((call) => ({
        call_id: call.callId,
        tool: call.toolName,
        input: call.input,
        interrupted: call.status === "started",
      })),
  };
}
