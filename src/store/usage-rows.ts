import type { TokenUsage } from "../cost/usage.ts";
import { addUsage } from "../cost/usage.ts";
import { Usd } from "../cost/usd.ts";
import type { UsageRow } from "./records.ts";

/** One billed call as every store reads it back from its ledger. */
export interface LedgerLine {
  keyId?: string | undefined;
  /** The run the call was a step of; absent for a plain gateway request. */
  runId?: string | undefined;
  model: string;
  /** ISO time; its first ten characters are the day. */
  at: string;
  usage: TokenUsage;
  costUsd: string;
}

/** Ledger lines grouped per key, model and day, in the order first seen, with their cost summed exactly. */
export function usageRowsOf(lines: Iterable<LedgerLine>): UsageRow[] {
  const groups = new Map<string, { row: UsageRow; costs: string[] }>();
  for (const line of lines) {
    const day = line.at.slice(0, 10);
    const group = `${line.keyId ?? ""}\u0000${line.model}\u0000${day}`;
    const existing = groups.get(group);
    if (existing) {
      existing.row.requests += 1;
      existing.row.usage = addUsage(existing.row.usage, line.usage);
      existing.costs.push(line.costUsd);
    } else {
      groups.set(group, {
        row: { keyId: line.keyId, model: line.model, day, requests: 1, usage: { ...line.usage }, costUsd: "0" },
        costs: [line.costUsd],
      });
    }
  }
  return [...groups.values()].map(({ row, costs }) => ({ ...row, costUsd: Usd.sum(costs) }));
}
