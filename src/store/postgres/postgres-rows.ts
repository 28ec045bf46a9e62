import { usd } from "../../cost/usd.ts";
import type { ApiKeyRecord, EventRecord, RunRecord, RunStatus, StepRecord, ToolCallRecord } from "../records.ts";

export type Row = Record<string, unknown>;

export const text = (value: unknown): string | undefined =>
  value === null || value === undefined ? undefined : String(value);

/** A NUMERIC column as the shortest exact decimal ("0.300" reads "0.3"), as the SQLite store returns it. */
export const money = (value: unknown): string => usd(String(value));

export const runFromRow = (row: Row): RunRecord => ({
  id: String(row.id),
  status: String(row.status) as RunStatus,
  settings: JSON.parse(String(row.settings)),
  ownerKeyId: text(row.owner_key_id),
  output: text(row.output),
  error: text(row.error),
  usage: JSON.parse(String(row.usage)),
  costUsd: money(row.cost_usd),
  stepCount: Number(row.step_count),
  leaseOwner: row.lease_until !== null && Number(row.lease_until) > Date.now() ? text(row.lease_owner) : undefined,
  createdAt: String(row.created_at),
  updatedAt: String(row.updated_at),
});

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

export const eventFromRow = (row: Row): EventRecord => ({
  sequence: Number(row.sequence),
  runId: String(row.run_id),
  type: String(row.type),
  data: JSON.parse(String(row.data)),
  at: String(row.at),
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
