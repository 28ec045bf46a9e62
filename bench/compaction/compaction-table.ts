import { Usd } from "../../src/cost/usd.ts";
import type { ReplayResult } from "./replay.ts";

export interface TranscriptRow {
  transcript: string;
  theoreticalHitShare: number;
  /** One replay per strategy at each price set, by the price set's label. */
  results: Record<string, ReplayResult[]>;
}

const labels = { none: "no compaction", truncation: "plain truncation", ours: "Tansuo compaction" } as const;
const percent = (share: number) => `${(share * 100).toFixed(1)}%`;

/** A Markdown table: one row per transcript and strategy, and whether ours met the goal on it. */
export function compactionTable(rows: TranscriptRow[], priceLabels: string[]): string {
  const lines = [
    `| transcript | strategy | requests | tokens sent | cache-hit share | of the theoretical max (max) | compactions | largest prompt | ${priceLabels.map((label) => `cost at ${label}`).join(" | ")} |`,
    `|---|---|---:|---:|---:|---:|---:|---:|${priceLabels.map(() => "---:").join("|")}|`,
  ];
  for (const row of rows) {
    const first = row.results[priceLabels[0]!]!;
    for (const [position, result] of first.entries()) {
      const share = result.cacheHitTokens / result.tokensSent;
      const costs = priceLabels.map((label) => Usd.formatSignificant(row.results[label]![position]!.costUsd, 4));
      lines.push(
        `| ${row.transcript} | ${labels[result.strategy]} | ${result.requests} | ${result.tokensSent.toLocaleString("en-US")} | ` +
          `${percent(share)} | ${percent(share / row.theoreticalHitShare)} (${percent(row.theoreticalHitShare)}) | ` +
          `${result.compactions} | ${result.largestPrompt.toLocaleString("en-US")} | ${costs.join(" | ")} |`,
      );
    }
  }
  return lines.join("\n");
}

/** Whether ours cost less than both others at `label`'s prices with >= 90% of the theoretical hit share. */
export function goalMet(row: TranscriptRow, label: string): { cheapest: boolean; shareOfMaximum: number } {
  const [none, truncation, ours] = row.results[label]!;
  const shareOfMaximum = ours!.cacheHitTokens / ours!.tokensSent / row.theoreticalHitShare;
  const cheapest = Usd.compare(ours!.costUsd, none!.costUsd) < 0 && Usd.compare(ours!.costUsd, truncation!.costUsd) < 0;
  return { cheapest, shareOfMaximum };
}
