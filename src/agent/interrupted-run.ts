import type { RunRecord, RunStatus } from "../store/records.ts";
import type { Store } from "../store/store.ts";
import { goneLeaseOwner } from "./run-lease.ts";

/** A run's status as shown to people: `interrupted` for one left `running` by a process that is provably gone. */
export type ShownRunStatus = RunStatus | "interrupted";

/**
 * `interrupted` when the run says running but its lease owner is gone (killed, crashed); `tansuo resume` continues
 * it. `activeRuns` are the runs this process executes itself, which the lease check would take for stale.
 */
export async function shownRunStatus(
  store: Store,
  run: RunRecord,
  activeRuns?: ReadonlyMap<string, unknown>,
): Promise<ShownRunStatus> {
  if (run.status !== "running" || activeRuns?.has(run.id)) return run.status;
  return goneLeaseOwner(await store.leaseOf(run.id)) === undefined ? run.status : "interrupted";
}

/** What a person can do about an interrupted run. */
export const interruptedHint = (runId: string): string =>
  `its process stopped mid-run (killed or crashed); \`tansuo resume ${runId}\` continues it`;
