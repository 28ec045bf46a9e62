import type { CallToolResult } from "@modelcontextprotocol/sdk/types.js";
import { z } from "zod";
import type { RunRecord } from "../../store/records.ts";
import { runStatuses } from "../../store/records.ts";

/** What every Tansuo tool returns as `structuredContent`; its `outputSchema`. */
export const agentRunOutputShape = {
  runId: z.string().describe("The durable run: `tansuo runs show <runId>` has its steps and cost"),
  status: z.enum(runStatuses).describe("succeeded, failed, cancelled, budget_exhausted or awaiting_approval"),
  answer: z.string().describe("The agent's final answer (empty when it gave none)"),
  costUsd: z.string().describe("What the run cost, in USD, as an exact decimal string"),
  budgetUsd: z.string().optional().describe("The budget the run had, in USD, when it had one"),
  error: z.string().optional().describe("Why the run did not succeed"),
};

/** Statuses in which the agent did not do the task: the client sees a tool error, with the run's details. */
const unsuccessful = new Set<RunRecord["status"]>(["failed", "cancelled", "budget_exhausted"]);

/** A finished (or paused) run as an MCP tool result: the answer as text, the details as structured content. */
export function agentRunResult(run: RunRecord): CallToolResult {
  const structured = {
    runId: run.id,
    status: run.status,
    answer: run.output ?? "",
    costUsd: run.costUsd,
    ...(run.settings.budgetUsd !== undefined ? { budgetUsd: run.settings.budgetUsd } : {}),
    ...(run.error !== undefined ? { error: run.error } : {}),
  };
  const summary =
    run.status === "awaiting_approval"
      ? `Run ${run.id} waits for a person's approval: \`tansuo approve ${run.id}\` then \`tansuo resume ${run.id}\`.`
      : `Run ${run.id} ${run.status}${run.error ? `: ${run.error}` : ""}; cost $${run.costUsd}.`;
  return {
    content: [
      { type: "text", text: structured.answer === "" ? summary : `${structured.answer}\n\n${summary}` },
      { type: "text", text: JSON.stringify(structured) },
    ],
    structuredContent: structured,
    ...(unsuccessful.has(run.status) ? { isError: true } : {}),
  };
}

/** A request Tansuo refused before starting any run (unknown agent or model): a tool error the client can read. */
export function refusedResult(message: string): CallToolResult {
  return { content: [{ type: "text", text: message }], isError: true };
}
