import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { agentScript } from "../../bench/concurrency/agent-script.ts";
import { concurrencyTable } from "../../bench/concurrency/concurrency-table.ts";
import { measureHttpBaseline } from "../../bench/concurrency/http-baseline.ts";
import { eventLoopP99Milliseconds, type ModeResult, rssPerRunMegabytes } from "../../bench/concurrency/mode-result.ts";
import { measurePostgresWorkers } from "../../bench/concurrency/postgres-workers.ts";
import { measureSqliteRuns } from "../../bench/concurrency/sqlite-runs.ts";
import { type DeepSeekServer, startDeepSeekServer } from "../support/deepseek-server/index.ts";
import { postgresForTests } from "../support/postgres-server.ts";

// bench/concurrency in short: every run succeeds in each mode and the report has each figure. Timing is the
// benchmark's business, not the suite's.
const runs = 50;
const postgres = await postgresForTests();
let server: DeepSeekServer;
let counted = 0;
const countCalls = async () => {
  const calls = server.requests.length - counted;
  counted = server.requests.length;
  return calls;
};

beforeAll(async () => {
  server = await startDeepSeekServer(agentScript(20));
});
afterAll(async () => {
  await server.close();
  if (!("unavailable" in postgres)) postgres.stop();
});

function expectEveryFigure(result: ModeResult) {
  expect(result).toMatchObject({ runs, succeeded: runs, modelCalls: 2 * runs });
  expect(result.totalMilliseconds).toBeGreaterThan(0);
  expect(rssPerRunMegabytes(result)).toEqual(expect.any(Number));
  expect(eventLoopP99Milliseconds(result)).toBeGreaterThan(0);
}

describe("bench/concurrency", () => {
  it(`baseline: ${runs} bare pairs of chat calls at once, two calls each`, async () => {
    expectEveryFigure(await measureHttpBaseline({ runs, modelUrl: server.url, countCalls }));
  });

  it(`one process, SQLite: ${runs} runs at once, each one read_file call then the answer`, async () => {
    const result = await measureSqliteRuns({ runs, modelUrl: server.url, countCalls });
    expectEveryFigure(result);
    const table = concurrencyTable([result], 40);
    expect(table).toContain(`| one process, SQLite | 1 process x ${runs} | ${runs}/${runs} | ${2 * runs} |`);
  });

  if ("unavailable" in postgres) {
    it.skip(`workers, PostgreSQL (skipped: no PostgreSQL could be started: ${postgres.unavailable})`, () => {});
  } else {
    const cluster = postgres;
    it(`workers, PostgreSQL: ${runs} queued runs executed by 2 tansuo worker processes`, async () => {
      const postgresUrl = await cluster.createDatabase("bench_concurrency_short");
      const result = await measurePostgresWorkers({
        runs,
        workers: 2,
        concurrency: runs / 2,
        modelUrl: server.url,
        postgresUrl,
        countCalls,
      });
      expectEveryFigure(result);
      expect(result.gauges).toHaveLength(2);
      expect(result.layout).toBe(`2 workers x ${runs / 2}`);
    }, 120_000);
  }
});
