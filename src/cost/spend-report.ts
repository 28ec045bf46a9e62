import type { TokenUsage } from "./usage.ts";
import { addUsage, emptyUsage } from "./usage.ts";
import { Usd } from "./usd.ts";

/** The groupings of `tansuo cost --by` and the viewer's `/v1/spend?by=`. */
export const spendGroupings = ["day", "model", "run", "key"] as const;
export type SpendGrouping = (typeof spendGroupings)[number];

/** One billed call as the report reads it (the store's ledger line, by shape, so cost/ imports no store). */
export interface SpendLine {
  keyId?: string | undefined;
  runId?: string | undefined;
  model: string;
  /** ISO time; its first ten characters are the UTC day. */
  at: string;
  usage: TokenUsage;
  costUsd: string;
}

/** One group's spend: its name (null for calls outside any run or key), calls, tokens and exact cost. */
export interface SpendGroup {
  name: string | null;
  requests: number;
  usage: TokenUsage;
  costUsd: string;
  /** Cache-hit tokens as a share of all prompt tokens, to 4 places; null when there were none. */
  cacheHitShare: number | null;
}

export interface SpendReport {
  by: SpendGrouping;
  groups: SpendGroup[];
  total: SpendGroup;
}

const nameOf: Record<SpendGrouping, (line: SpendLine) => string | null> = {
  day: (line) => line.at.slice(0, 10),
  model: (line) => line.model,
  run: (line) => line.runId ?? null,
  key: (line) => line.keyId ?? null,
};

const hitShare = (usage: TokenUsage): number | null =>
  usage.inputTokens === 0 ? null : Math.round((usage.cacheHitTokens / usage.inputTokens) * 10_000) / 10_000;

function summed(name: string | null, lines: readonly SpendLine[]): SpendGroup {
  const usage = lines.reduce((sum, line) => addUsage(sum, line.usage), emptyUsage());
  return {
    name,
    requests: lines.length,
    usage,
    costUsd: Usd.sum(lines.map((line) => line.costUsd)),
    cacheHitShare: hitShare(usage),
  };
}

/** Ledger lines summed per group, exactly, with a total: days in order, other groups the costliest first. */
export function spendReport(lines: readonly SpendLine[], by: SpendGrouping): SpendReport {
  const byName = new Map<string | null, SpendLine[]>();
  for (const line of lines) {
    const name = nameOf[by](line);
    const group = byName.get(name);
    if (group) group.push(line);
    else byName.set(name, [line]);
  }
  const groups = [...byName].map(([name, members]) => summed(name, members));
  const named = (group: SpendGroup) => group.name ?? "";
  if (by === "day") groups.sort((left, right) => named(left).localeCompare(named(right)));
  else
    groups.sort((left, right) => Usd.compare(right.costUsd, left.costUsd) || named(left).localeCompare(named(right)));
  return { by, groups, total: summed(null, lines) };
}
