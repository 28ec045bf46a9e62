import type { RunObject } from "../api-types.ts";

/** The filters the list was asked with; a streamed run is kept only when it still matches them. */
export interface RunFilters {
  status?: string | undefined;
  model?: string | undefined;
  q?: string | undefined;
}

const matches = (run: RunObject, filters: RunFilters): boolean =>
  (!filters.status || run.status === filters.status) &&
  (!filters.model || run.model === filters.model) &&
  (!filters.q || run.task.toLowerCase().includes(filters.q.toLowerCase()));

/**
 * The list after one streamed run: a known run is replaced in place (or dropped when it left the filter), a new
 * one goes where its creation time puts it (newest first); one older than a full page's last row is left to paging.
 */
export function mergeRun(
  rows: readonly RunObject[],
  run: RunObject,
  filters: RunFilters,
  hasMore: boolean,
): RunObject[] {
  const known = rows.findIndex((row) => row.id === run.id);
  if (known >= 0) {
    if (!matches(run, filters)) return rows.filter((row) => row.id !== run.id);
    return rows.map((row, index) => (index === known ? run : row));
  }
  if (!matches(run, filters)) return [...rows];
  const position = rows.findIndex((row) => row.created_at < run.created_at);
  if (position < 0) return hasMore ? [...rows] : [...rows, run];
  return [...rows.slice(0, position), run, ...rows.slice(position)];
}
