import { quoteIdentifier } from "./postgres-migrate.ts";

// One pair of channels per schema (notices are per database): stores on other schemas do not wake each other.
// SQL sends on the schema it writes to, current_schema() (the connection's search_path is set to it).
export const eventsChannelSql = "'tansuo_events.' || current_schema()";
export const queuedChannelSql = "'tansuo_queued.' || current_schema()";
export const runsChannelSql = "'tansuo_runs.' || current_schema()";

export const eventsChannel = (schema: string) => quoteIdentifier(`tansuo_events.${schema}`);
export const queuedChannel = (schema: string) => quoteIdentifier(`tansuo_queued.${schema}`);
export const runsChannel = (schema: string) => quoteIdentifier(`tansuo_runs.${schema}`);

/** The notice of a committed event: `<sequence>:<run id>` (the sequence first, a run id may hold anything). */
export function parseEventNotice(payload: string): { runId: string; sequence: number } | undefined {
  const colon = payload.indexOf(":");
  const sequence = Number(payload.slice(0, colon));
  return colon > 0 && Number.isSafeInteger(sequence) ? { runId: payload.slice(colon + 1), sequence } : undefined;
}
