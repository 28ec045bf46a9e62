import { describe, expect, it } from "vitest";
import { runCrashCampaign } from "../../campaigns/crash.ts";

describe("campaign:crash, short version", () => {
  it("SIGKILLs the CLI six times, at random and as side effects land, and every resume comes out clean", async () => {
    const report = await runCrashCampaign({ kills: 6, seed: 8 });
    expect(report.failures).toEqual([]);
    expect(report.failedTrials).toBe(0);
    expect(report.integrityFailures).toBe(0);
    expect(report.killsThatLanded).toBe(6);
    expect(report.byMoment).toEqual({ random: 1, appended: 2, written: 1, "step-committed": 1, "mid-stream": 1 });
  }, 60_000);
});
