import { describe, expect, it } from "vitest";
import { runFuzzCampaign } from "../../campaigns/fuzz.ts";

describe("campaign:fuzz, short version", () => {
  it("200 generated requests to a real gateway: no 5xx, every refusal a 4xx in OpenAI's format, /health up", async () => {
    // A fixed seed keeps CI repeatable; `npm run campaign:fuzz` explores new seeds. Replay with FUZZ_SEED=<seed>.
    const report = await runFuzzCampaign({ requests: 200, healthEvery: 25, seed: 20261201 });
    expect({ seed: report.seed, failures: report.failureSamples }).toEqual({ seed: report.seed, failures: [] });
    expect(report.requests).toBe(200);
    expect(report.serverErrors).toBe(0);
    expect(report.healthFailures).toBe(0);
    expect(report.healthyAfter).toBe(true);
    // The generator reaches past each guard (Host, Origin, content type) into the routes.
    expect(Object.keys(report.statuses)).toEqual(expect.arrayContaining(["400", "403", "415", "421"]));
  });
});
