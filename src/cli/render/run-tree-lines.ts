import type { RunTree } from "../../agent/run-tree.ts";
import { Usd } from "../../cost/usd.ts";
import type { RunRecord } from "../../store/records.ts";

/** A child run in `runs show --json`: its agent, the call that started it, status and cost, and its own children. */
export interface ChildRunJson {
  id: string;
  agentName: string | null;
  parentCallId: string | null;
  status: string;
  costUsd: string;
  treeCostUsd: string;
  children: ChildRunJson[];
}

export const childJson = (tree: RunTree): ChildRunJson => ({
  id: tree.run.id,
  agentName: tree.run.settings.agentName ?? null,
  parentCallId: tree.run.parentCallId ?? null,
  status: tree.run.status,
  costUsd: tree.run.costUsd,
  treeCostUsd: tree.treeCostUsd,
  children: tree.children.map(childJson),
});

/** `runs show` lines for a run tree: whose child the run is, its children indented, and what the tree cost. */
export function runTreeLines(run: RunRecord, tree: RunTree): string[] {
  const lines: string[] = [];
  if (run.parentRunId !== undefined) lines.push(`parent: ${run.parentRunId} (call ${run.parentCallId ?? "?"})`);
  if (tree.children.length === 0) return lines;
  lines.push(
    `cost with child runs: ${Usd.format(tree.treeCostUsd)} (this run ${Usd.format(run.costUsd)} + children ` +
      `${Usd.format(Usd.subtract(tree.treeCostUsd, run.costUsd))})`,
    "child runs:",
  );
  const walk = (children: RunTree[], depth: number) => {
    for (const child of children) {
      const agent = child.run.settings.agentName ?? "agent";
      lines.push(
        `${"  ".repeat(depth)}↳ ${child.run.id} · ${agent} · ${child.run.status} · ${Usd.format(child.treeCostUsd)}` +
          ` (call ${child.run.parentCallId ?? "?"})`,
      );
      walk(child.children, depth + 1);
    }
  };
  walk(tree.children, 1);
  return lines;
}
