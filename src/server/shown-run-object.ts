import { shownRunStatus } from "../agent/interrupted-run.ts";
import type { RunRecord, ToolCallRecord } from "../store/records.ts";
import type { Store } from "../store/store.ts";
import { runObject } from "./run-object.ts";

/** The RunObject with the status a person should see: a run left `running` by a dead process is `interrupted`. */
export async function shownRunObject(
  store: Store,
  run: RunRecord,
  toolCalls: readonly ToolCallRecord[] = [],
  activeRuns?: ReadonlyMap<string, unknown>,
) {
  return runObject(run, toolCalls, await shownRunStatus(store, run, activeRuns));
}

export type RunObject = ReturnType<typeof runObject>;
