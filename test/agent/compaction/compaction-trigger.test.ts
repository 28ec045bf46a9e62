import { afterEach, describe, expect, it } from "vitest";
import { compactionReason } from "../../../src/agent/compaction/compaction-trigger.ts";
import { startRun } from "../../../src/agent/index.ts";
import { scriptedHarness } from "../../support/agent-harness.ts";

const price = {
  effectiveFrom: "2026-01-01",
  inputCacheHit: "0.01",
  inputCacheMiss: "0.1",
  output: "1",
  cacheWrite: "0.1",
  offPeak: false,
};
const shares = { windowShare: 0.8, budgetShare: 0.25 };
let harness: ReturnType<typeof scriptedHarness> | undefined;
afterEach(() => harness?.cleanup());

async function budgetedRun() {
  harness = scriptedHarness([]);
  return startRun(harness.runtime, {
    task: "t",
    model: "scripted",
    workspace: harness.workspace,
    budgetUsd: "0.01",
  });
}

describe("when a run compacts", () => {
  it("near the window: a prompt bound past 0.8 of it", async () => {
    const run = await budgetedRun();
    const call = { promptTokens: 6_401, wantedOutputTokens: 10, price, contextWindow: 8_000 };
    expect(await compactionReason(harness!.store, run, call, shares)).toEqual({
      kind: "window",
      reason: "the next prompt (up to 6401 tokens) passes 0.8 of the 8000-token window",
    });
    expect(await compactionReason(harness!.store, run, { ...call, promptTokens: 6_400 }, shares)).toBeUndefined();
  });

  it("under budget pressure: a worst case past 0.25 of the budget left", async () => {
    const run = await budgetedRun();
    // 1,000 x $0.1/M + 4,096 x $1/M = $0.004196, more than 0.25 x $0.01; with 1,000 out it is $0.0011, less.
    const call = { promptTokens: 1_000, wantedOutputTokens: 4_096, price, contextWindow: 1_000_000 };
    expect(await compactionReason(harness!.store, run, call, shares)).toEqual({
      kind: "budget",
      reason: "the next call's worst case ($0.004196) passes 0.25 of the $0.01 budget left",
    });
    expect(await compactionReason(harness!.store, run, { ...call, wantedOutputTokens: 1_000 }, shares)).toBeUndefined();
  });
});
