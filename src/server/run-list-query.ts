import { type ShownRunStatus, shownRunStatus } from "../agent/interrupted-run.ts";
import { type RunRecord, type RunStatus, runStatuses } from "../store/records.ts";
import type { RunListFilter, Store } from "../store/store.ts";
import { ownKeyId, seesEverything } from "./caller-scope.ts";
import type { Caller } from "./gateway-env.ts";
import { InvalidRequestError, PermissionDeniedError } from "./gateway-errors.ts";

/** What GET /v1/runs was asked for: the store's filter (owner already narrowed to the caller) and the shown status. */
export interface RunListQuery {
  filter: RunListFilter;
  /** The status asked for as shown: `running` and `interrupted` are both stored `running`. */
  status: ShownRunStatus | undefined;
  limit: number;
  /** For the stream: send changes from this time on (the `as_of` of the list the client holds), not from now. */
  since: string | undefined;
}

const shownStatuses: readonly string[] = [...runStatuses, "interrupted"];

/** Reads `limit`, `status`, `model`, `key`, `q` and `before`; a plain key may name no key but its own. */
export function runListQuery(caller: Caller, query: (name: string) => string | undefined): RunListQuery {
  const limit = Number(query("limit") ?? "20");
  if (!Number.isInteger(limit) || limit < 1 || limit > 1000) {
    throw new InvalidRequestError("`limit` must be a whole number from 1 to 1000.", { param: "limit" });
  }
  const status = query("status");
  if (status !== undefined && !shownStatuses.includes(status)) {
    throw new InvalidRequestError(`\`status\` "${status}" is not a run status: one of ${shownStatuses.join(", ")}.`, {
      param: "status",
    });
  }
  const key = query("key");
  if (key !== undefined && !seesEverything(caller) && key !== caller.key?.id) {
    throw new PermissionDeniedError("Only an admin key may list another key's runs; leave out `key`.", "key");
  }
  const storedStatus = status === "interrupted" ? "running" : (status as RunStatus | undefined);
  const filter: RunListFilter = {
    ownerKeyId: ownKeyId(caller) ?? key,
    status: storedStatus,
    model: query("model"),
    taskContains: query("q") || undefined,
    beforeRunId: query("before"),
  };
  const since = query("since");
  if (since !== undefined && Number.isNaN(Date.parse(since))) {
    throw new InvalidRequestError(`\`since\` "${since}" is not a time: send the \`as_of\` of a runs list.`, {
      param: "since",
    });
  }
  const sinceIso = since === undefined ? undefined : new Date(since).toISOString();
  return { filter, status: status as ShownRunStatus | undefined, limit, since: sinceIso };
}

/** The run's shown status, checked against the one asked for (the store cannot tell running from interrupted). */
export async function shownIfMatching(
  store: Store,
  run: RunRecord,
  status: ShownRunStatus | undefined,
  activeRuns?: ReadonlyMap<string, unknown>,
): Promise<ShownRunStatus | undefined> {
  const shown = await shownRunStatus(store, run, activeRuns);
  return status === undefined || shown === status ? shown : undefined;
}

/**
 * Up to `limit` runs matching the query, newest first, with their shown status, and whether more follow. Pages
 * through the store when a shown status filters out some of what it returns.
 */
export async function listShownRuns(
  store: Store,
  { filter, status, limit }: RunListQuery,
  activeRuns?: ReadonlyMap<string, unknown>,
): Promise<{ runs: { run: RunRecord; status: ShownRunStatus }[]; hasMore: boolean }> {
  const found: { run: RunRecord; status: ShownRunStatus }[] = [];
  let before = filter.beforeRunId;
  for (;;) {
    const page = await store.listRuns({ ...filter, beforeRunId: before, limit: limit + 1 });
    for (const run of page) {
      const shown = await shownIfMatching(store, run, status, activeRuns);
      if (shown === undefined) continue;
      if (found.length === limit) return { runs: found, hasMore: true };
      found.push({ run, status: shown });
    }
    if (page.length < limit + 1) return { runs: found, hasMore: false };
    before = page.at(-1)!.id;
  }
}
