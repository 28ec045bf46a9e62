import { usd } from "../../cost/usd.ts";
import type { ApiKeyRecord, RunRecord, StepRecord, ToolCallRecord } from "../records.ts";
import { eventFromRow, type Row, runFromRow as sqlRunFromRow, text } from "../sql-rows.ts";

// The mappers both SQL stores share, read from here by the Postgres files.
export { eventFromRow, type Row, text };

/** A NUMERIC column as the shortest exact decimal ("0.300" reads "0.3"), as the SQLite store returns it. */
export const money = (value: unknown): string => usd(String(value));

export const runFromRow = (row: Row): RunRecord => sqlRunFromRow(row, money);

export const stepFromRow = (row: Row): StepRecord => ({
  runId: String(row.run_id),
  index: Number(row.step_index),
  assistant: JSON.parse(String(row.assistant)),
  finishReason: String(row.finish_reason),
  usage: JSON.parse(String(row.usage)),
  costUsd: money(row.cost_usd),
  price: JSON.parse(String(row.price)),
  model: String(row.model),
  createdAt: String(row.created_at),
});

export const toolCallFromRow = (row: Row): ToolCallRecord => ({
  runId: String(row.run_id),
  stepIndex: Number(row.step_index),
  position: Number(row.position),
  callId: String(row.call_id),
  toolName: String(row.tool_name),
  input: String(row.input),
  status: String(row.status) as ToolCallRecord["status"],
  output: text(row.output),
  ...(row.output_images ? { outputImages: JSON.parse(String(row.output_images)) } : {}),
  isError: row.is_error === true,
  startedAt: text(row.started_at),
  finishedAt: text(row.finished_at),
});

export const apiKeyFromRow = (row: Row): ApiKeyRecord => ({
  id: String(row.id),
  name: String(row.name),
  prefix: String(row.prefix),
  hash: String(row.hash),
  budgetUsd: row.budget_usd === null ? undefined : money(row.budget_usd),
  requestsPerMinute: row.requests_per_minute === null ? undefined : Number(row.requests_per_minute),
  concurrency: row.concurrency === null ? undefined : Number(row.concurrency),
  ...(row.admin === true ? { admin: true } : {}),
  createdAt: String(row.created_at),
  revokedAt: text(row.revoked_at),
});
