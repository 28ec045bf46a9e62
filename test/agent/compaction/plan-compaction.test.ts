import { describe, expect, it } from "vitest";
import { expectedSpendUsd, type SpendParameters, summariserUsd } from "../../../src/agent/compaction/expected-spend.ts";
import { type CompactionPlanInput, planCompaction } from "../../../src/agent/compaction/plan-compaction.ts";

// Every expectation below is worked out by hand in the comments (prices in USD per million tokens).
const cheapHits = { cacheHit: 1, cacheMiss: 10, output: 20 };
const dearHits = { cacheHit: 5, cacheMiss: 10, output: 10 };
const parameters: SpendParameters = {
  price: cheapHits,
  summariserPrice: cheapHits,
  summariserSharesCache: true,
  cacheUnitTokens: 64,
  summaryRatio: 0.1,
  instructionTokens: 0,
  growthPerStep: 100,
  promptLimit: 100_000,
  recentTokensKept: 200,
};
const shape = { pinnedTokens: 128, compactableTokens: 1000, recentTokens: 200 };

// System 100 + task 28 pinned; steps 0 and 1 of 500 tokens each, step 2 of 200: the shape above.
const messages = [
  { tokens: 100 },
  { tokens: 28 },
  { tokens: 200, step: 0 },
  { tokens: 300, step: 0 },
  { tokens: 200, step: 1 },
  { tokens: 300, step: 1 },
  { tokens: 100, step: 2 },
  { tokens: 100, step: 2 },
];
const plan = (overrides: Partial<CompactionPlanInput>) =>
  planCompaction({
    ...parameters,
    messages,
    contextWindow: 100_000,
    windowShare: 1,
    remainingSteps: 2,
    keepRecentSteps: 1,
    ...overrides,
  });

describe("the compaction cost model", () => {
  it("bills the summariser's input as hits in 64-token units, its instruction and remainder as misses", () => {
    // 1128 tokens sent: 1088 (17 units) hit, 40 miss; 100 summary tokens out: 1088 + 400 + 2000.
    expect(summariserUsd(shape, parameters)).toBeCloseTo(3488e-6, 12);
    // A summariser of another model has none of it cached: 1128 x 10 + 100 x 20.
    expect(summariserUsd(shape, { ...parameters, summariserSharesCache: false })).toBeCloseTo(13_280e-6, 12);
  });

  it("prices compacting now: the summary and the moved tail miss once, then the shorter prompt hits", () => {
    // Summariser 3488. Step 1: prompt 128 + 100 + 200 + 100 = 528, only the pinned 128 hit: 128 + 400 x 10 = 4128.
    // Step 2: prompt 628, 512 (8 units) hit: 512 + 116 x 10 = 1672. Sum 9288.
    expect(expectedSpendUsd(shape, true, 2, parameters)).toBeCloseTo(9288e-6, 12);
  });

  it("prices not compacting: the growing prompt hits on what the last step sent", () => {
    // Step 1: prompt 1428, 1280 hit (20 units of 1328): 1280 + 148 x 10 = 2760. Step 2: prompt 1528, 1408 hit: 2608.
    expect(expectedSpendUsd(shape, false, 2, parameters)).toBeCloseTo(5368e-6, 12);
  });

  it("compacts again in the simulation when a prompt passes the limit, keeping the recent tokens", () => {
    // Step 1: 1428 > 1400, compact 1100: summariser 1216 hit, 12 miss, 110 out = 1216 + 120 + 2200 = 3536;
    // then prompt 128 + 110 + 200 = 438 with 128 hit: 128 + 3100 = 3228. Sum 6764.
    expect(expectedSpendUsd(shape, false, 1, { ...parameters, promptLimit: 1400 })).toBeCloseTo(6764e-6, 12);
  });
});

describe("planCompaction", () => {
  it("does not compact when two steps remain and the prompt fits: the one-off cost would not pay back", () => {
    expect(plan({})).toBeUndefined();
  });

  it("when forced, picks the cut with the least expected spend and keeps the last step verbatim", () => {
    // Through step 0: summariser 576 + 520 + 1000 = 2096, steps 128 + 8500 = 8628 and 960 + 1180 = 2140: 12864.
    // Through step 1: 9288 (above). Step 2 is the kept recent step, so it is never a candidate.
    expect(plan({ force: true })).toMatchObject({
      throughStep: 1,
      fromMessage: 2,
      toMessage: 6,
      compactedTokens: 1000,
      summaryTokens: 100,
      tokensBefore: 1328,
      tokensAfter: 428,
    });
    expect(plan({ force: true })!.expectedUsd).toBeCloseTo(9288e-6, 12);
  });

  it("compacts unforced when cache hits are dear enough that it pays within the remaining steps", () => {
    // Hit 5, miss 10, output 10. Through step 1: summariser 5440 + 400 + 1000 = 6840, steps 640 + 4000 = 4640 and
    // 2560 + 1160 = 3720: 15200. Not compacting: 6400 + 1480 = 7880 and 7040 + 1200 = 8240: 16120.
    // Through step 0: 2880 + 520 + 500 = 3900, 640 + 8500 = 9140, 4800 + 1180 = 5980: 19020.
    const chosen = plan({ price: dearHits, summariserPrice: dearHits });
    expect(chosen?.throughStep).toBe(1);
    expect(chosen!.expectedUsd).toBeCloseTo(15_200e-6, 12);
    expect(chosen!.withoutUsd).toBeCloseTo(16_120e-6, 12);
  });

  it("must compact when the next prompt would pass the window share, even when it does not pay", () => {
    // 1328 + 100 growth = 1428 > 2800 x 0.5 = 1400.
    expect(plan({ contextWindow: 2800, windowShare: 0.5 })?.throughStep).toBe(1);
  });

  it("finds nothing to compact in a prompt of only the system prompt and the task", () => {
    expect(plan({ messages: messages.slice(0, 2), force: true })).toBeUndefined();
    expect(plan({ messages: messages.slice(0, 4), force: true, keepRecentSteps: 1 })).toBeUndefined();
  });
});
