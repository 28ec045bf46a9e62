import { describe, expect, it } from "vitest";
import { measureTokenBounds } from "../../bench/token-bound/measure.ts";

// bench/token-bound in short: a few prompts per set and a 5-step run. The full table is the benchmark's business.
const median = (values: readonly number[]) => {
  const sorted = [...values].sort((left, right) => left - right);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
};

describe("bench/token-bound", () => {
  it("bounds every prompt by the tokenizer within 5% over the reported tokens, and below the byte bound", async () => {
    const sets = await measureTokenBounds({ prompts: 4, steps: 5 });
    expect(sets.map((set) => set.after.length)).toEqual([4, 4, 5]);
    for (const set of sets) {
      for (const ratio of set.after) {
        expect(ratio, set.name).toBeGreaterThanOrEqual(1);
        expect(ratio, set.name).toBeLessThanOrEqual(1.05);
      }
      expect(median(set.after), set.name).toBeLessThan(median(set.before));
    }
  }, 20_000);
});
