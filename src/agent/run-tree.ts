import { Usd } from "../cost/usd.ts";
import type { RunRecord } from "../store/records.ts";
import type { Store } from "../store/store.ts";

/**
 * A run with the child runs its agent tools started, at every depth. `costUsd` of each run stays its own calls'
 * (what its ledger rows add up to); `treeCostUsd` is that plus every descendant's, the whole task's cost.
 */
export interface RunTree {
  run: RunRecord;
  children: RunTree[];
  treeCostUsd: string;
}

export async function runTree(store: Store, run: RunRecord): Promise<RunTree> {
  const children = await Promise.all((await store.listChildRuns(run.id)).map((child) => runTree(store, child)));
  return { run, children, treeCostUsd: Usd.sum([run.costUsd, ...children.map((child) => child.treeCostUsd)]) };
}
