import { describe, expect, it } from "vitest";
import { runSecretsCampaign } from "../../campaigns/secrets.ts";

describe("campaign:secrets, short version", () => {
  it("finds no key in the database, its WAL, the logs, the transcript or the events after hostile runs", async () => {
    const report = await runSecretsCampaign({
      plan: [
        { mode: "auto", homeInsideWorkspace: true },
        { mode: "off", homeInsideWorkspace: false },
      ],
    });
    expect(report.runs).toBe(2);
    expect(report.failedRuns).toBe(0);
    // The search sees what it looks for: the canary each run printed was found in every encoding.
    expect(report.canaryRunsDetected).toBe(2);
    // Unsandboxed, the probes reached the keys (the environment, config.json) and redaction took them out.
    expect(report.redactions.off).toBeGreaterThanOrEqual(10);
    // Sandboxed, no probe reached a key at all.
    expect(report.redactions.auto).toBe(0);
    expect(report.leaks).toEqual([]);
  }, 120_000);
});
