import type { EventRecord, RunRecord, RunState, RunStatus } from "./records.ts";
import type { StoredResponse } from "./response-records.ts";

/** A row as a SQL driver returns it (better-sqlite3 and pg alike). */
export type Row = Record<string, unknown>;

export const text = (value: unknown): string | undefined =>
  value === null || value === undefined ? undefined : String(value);

export const eventFromRow = (row: Row): EventRecord => ({
  sequence: Number(row.sequence),
  runId: String(row.run_id),
  type: String(row.type),
  data: JSON.parse(String(row.data)),
  at: String(row.at),
});

/** A `runs` row of either SQL store; `money` reads the cost column (TEXT in SQLite, NUMERIC in PostgreSQL). */
export const runFromRow = (row: Row, money: (value: unknown) => string = String): RunRecord => ({
  id: String(row.id),
  status: String(row.status) as RunStatus,
  settings: JSON.parse(String(row.settings)),
  ownerKeyId: text(row.owner_key_id),
  output: text(row.output),
  error: text(row.error),
  usage: JSON.parse(String(row.usage)),
  costUsd: money(row.cost_usd),
  stepCount: Number(row.step_count),
  // A lease past its time is no owner: the run shows no one executing it.
  leaseOwner: row.lease_until !== null && Number(row.lease_until) > Date.now() ? text(row.lease_owner) : undefined,
  createdAt: String(row.created_at),
  updatedAt: String(row.updated_at),
  ...(row.parent_run_id === null || row.parent_run_id === undefined
    ? {}
    : { parentRunId: String(row.parent_run_id), parentCallId: text(row.parent_call_id) }),
});

/** A run's status and lease owner as stored, from either SQL store (an expired lease still names its owner). */
export const runStateFromRow = (row: Row): RunState => ({
  id: String(row.id),
  status: String(row.status) as RunStatus,
  leaseOwner: text(row.lease_owner),
});

/** A `responses` row (SQLite or Postgres) as the stored answer; the items are JSON text in both. */
export function storedResponseOfRow(row: Row): StoredResponse {
  return {
    id: String(row.id),
    ownerKeyId: text(row.owner_key_id),
    previousResponseId: text(row.previous_response_id),
    model: String(row.model),
    inputItems: JSON.parse(String(row.input_items)) as unknown[],
    outputItems: JSON.parse(String(row.output_items)) as unknown[],
    createdAt: String(row.created_at),
  };
}
