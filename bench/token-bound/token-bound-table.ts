import type { BoundRatios } from "./measure.ts";

/** The goal for the counted bound: never under the reported tokens, at most 5% over them. */
export const goalCeiling = 1.05;
export const goalFloor = 1;

/** The smallest, middle and largest of `values` (the middle two's mean for an even count). */
export function spread(values: readonly number[]): { min: number; median: number; max: number } {
  if (values.length === 0) throw new Error("bench/token-bound: a set measured no prompts, so it has no ratios");
  const sorted = [...values].sort((left, right) => left - right);
  const middle = Math.floor(sorted.length / 2);
  const median = sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
  return { min: sorted[0]!, median, max: sorted.at(-1)! };
}

/** Whether every counted ratio of the set is within the goal. */
export function goalHolds(set: BoundRatios): boolean {
  const after = spread(set.after);
  return after.min >= goalFloor && after.max <= goalCeiling;
}

const ratio = (value: number) => value.toFixed(3);
const triple = ({ min, median, max }: ReturnType<typeof spread>) => `${ratio(min)} / ${ratio(median)} / ${ratio(max)}`;

/** A Markdown table: per set, the byte bound's and the tokenizer bound's ratios to the reported prompt tokens. */
export function tokenBoundTable(sets: readonly BoundRatios[]): string {
  const lines = [
    "| set | calls | before: byte bound min / median / max | after: tokenizer bound min / median / max | goal (1 ≤ after ≤ 1.05) |",
    "|---|---:|---:|---:|---|",
  ];
  for (const set of sets) {
    lines.push(
      `| ${set.name} | ${set.after.length} | ${triple(spread(set.before))} | **${triple(spread(set.after))}** | ` +
        `${goalHolds(set) ? "met" : "missed"} |`,
    );
  }
  return lines.join("\n");
}
