import { afterAll, describe, expect, it } from "vitest";
import { runWorkersCampaign, type WorkersCampaignOptions } from "../../campaigns/workers.ts";
import { postgresForTests } from "../support/postgres-server.ts";

const server = await postgresForTests();
afterAll(() => {
  if (!("unavailable" in server)) server.stop();
});

// Small numbers: 2 workers, 40 runs arriving at 4 a second, a worker executing a run SIGKILLed every 2 s; calls of
// 100-300 ms keep a run in flight at each kill, so a takeover happens however fast the machine.
const short: Omit<WorkersCampaignOptions, "store" | "postgres"> = {
  runs: 40,
  workers: 2,
  concurrency: 4,
  killEveryMilliseconds: 2_000,
  latencyMilliseconds: [100, 300],
  arrivalsPerSecond: 4,
  timeoutMilliseconds: 50_000,
};

const expectCleanCampaign = (report: Awaited<ReturnType<typeof runWorkersCampaign>>) => {
  expect(report.failures).toEqual([]);
  expect(report.succeeded).toBe(40);
  // One line a run, but for interrupted calls (denied by the campaign) whose command had not run yet.
  expect(report.sideEffectLines).toBeLessThanOrEqual(40);
  expect(report.sideEffectLines).toBeGreaterThanOrEqual(40 - report.interruptedCalls);
  expect(report.kills).toBeGreaterThanOrEqual(1);
  expect(report.takeovers).toBeGreaterThanOrEqual(1);
  // Every call answered was settled from its usage at exactly what the server billed for it (checked per call).
  expect(report.ledger.settledCalls).toBeGreaterThanOrEqual(80);
};

describe("campaign:workers, short", () => {
  it("on one SQLite file: every run succeeds through kills and takeovers, and the ledger matches the bill per call", async () => {
    expectCleanCampaign(await runWorkersCampaign({ ...short, store: "sqlite" }));
  }, 60_000);

  if ("unavailable" in server) {
    it.skip(`on PostgreSQL (skipped: no PostgreSQL could be started: ${server.unavailable})`, () => {});
  } else {
    it("on PostgreSQL: the same, with the workers and the campaign on one database", async () => {
      expectCleanCampaign(await runWorkersCampaign({ ...short, store: "postgres", postgres: server }));
    }, 60_000);
  }
});
