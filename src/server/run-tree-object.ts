import { type RunTree, runTree } from "../agent/run-tree.ts";
import type { RunRecord } from "../store/records.ts";
import type { Store } from "../store/store.ts";

interface ChildRunObject {
  id: string;
  agent: string | null;
  parent_call_id: string | null;
  status: string;
  cost_usd: string;
  tree_cost_usd: string;
  children: ChildRunObject[];
}

const childObject = (tree: RunTree): ChildRunObject => ({
  id: tree.run.id,
  agent: tree.run.settings.agentName ?? null,
  parent_call_id: tree.run.parentCallId ?? null,
  status: tree.run.status,
  cost_usd: tree.run.costUsd,
  tree_cost_usd: tree.treeCostUsd,
  children: tree.children.map(childObject),
});

/** A run's child runs (agents as tools) as the API shows them, and the cost of the whole tree. */
export async function runTreeObject(store: Store, run: RunRecord) {
  const tree = await runTree(store, run);
  return { tree_cost_usd: tree.treeCostUsd, children: tree.children.map(childObject) };
}
