import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { afterAll, afterEach, describe, expect, it } from "vitest";
import { cliSandbox, runCli } from "../support/cli-process.ts";
import { type ScriptedCompletion, startDeepSeekServer } from "../support/deepseek-server/index.ts";
import { postgresForTests } from "../support/postgres-server.ts";

// Every expected figure below is worked out by hand from the catalog's published prices (USD per 1M tokens):
// deepseek-v4-flash from 2026-04-26: hit 0.0028, miss 0.14, output 0.28; gpt-5: hit 0.125, miss 1.25, output 10;
// claude-sonnet-4-5: hit 0.30, miss 3, output 15.
const apiKey = "sk-cost-report-key-0001";
const postgres = await postgresForTests();
const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0)) await cleanup();
});
afterAll(() => {
  if (!("unavailable" in postgres)) postgres.stop();
});

// Run "one": a single answer of 1000 prompt tokens (no cache hit) and 100 output:
// 1000 x 0.14 + 100 x 0.28 = 140 + 28 = 168 per million = $0.000168.
const oneStep: ScriptedCompletion[] = [
  { content: "Nothing to do.", usage: { promptTokens: 1000, cacheHitTokens: 0, completionTokens: 100 } },
];
// Run "two": step 0 writes a file (1800 prompt, 0 hit, 60 out), step 1 answers (1900 prompt, 1792 hit, 40 out):
// step 0: 1800 x 0.14 + 60 x 0.28 = 252 + 16.8 = 268.8; step 1: 1792 x 0.0028 + 108 x 0.14 + 40 x 0.28
// = 5.0176 + 15.12 + 11.2 = 31.3376; run: 300.1376 per million = $0.0003001376.
const twoSteps: ScriptedCompletion[] = [
  {
    toolCalls: [{ name: "write_file", arguments: { path: "a.txt", content: "a" } }],
    usage: { promptTokens: 1800, cacheHitTokens: 0, completionTokens: 60 },
  },
  { content: "Wrote a.txt.", usage: { promptTokens: 1900, cacheHitTokens: 1792, completionTokens: 40 } },
];

async function setup(storeUrl?: string) {
  const server = await startDeepSeekServer({ apiKey, script: [...oneStep, ...twoSteps] });
  const sandbox = cliSandbox();
  mkdirSync(sandbox.workspace, { recursive: true });
  mkdirSync(sandbox.home, { recursive: true });
  // Two catalog rows of the user's: one without a cache discount, one priced only from 2030 on.
  const row = { provider: "openai-compatible", upstreamModel: "m", contextWindow: 8000, maxOutputTokens: 1000 };
  const models = [
    {
      ...row,
      id: "flat-cache",
      prices: [{ effectiveFrom: "2025-01-01", inputCacheHit: 1, inputCacheMiss: 1, output: 2 }],
    },
    { ...row, id: "future", prices: [{ effectiveFrom: "2030-01-01", inputCacheHit: 1, inputCacheMiss: 1, output: 2 }] },
  ];
  writeFileSync(path.join(sandbox.home, "config.json"), JSON.stringify({ models }));
  cleanups.push(
    () => server.close(),
    () => rmSync(sandbox.folder, { recursive: true, force: true }),
  );
  const env: Record<string, string> = { TANSUO_HOME: sandbox.home, DEEPSEEK_API_KEY: apiKey };
  if (storeUrl) env.TANSUO_STORE = storeUrl;
  const cli = (args: string[]) => runCli(args, { env, cwd: sandbox.workspace });
  const run = async (task: string) => {
    const result = await cli(["run", "-m", "deepseek-v4-flash", "--base-url", server.url, "--json", task]);
    expect(result.exitCode, result.stderr).toBe(0);
    return JSON.parse(result.stdout) as { id: string; costUsd: string };
  };
  return { cli, run };
}

const json = (stdout: string) => JSON.parse(stdout);

describe("tansuo cost", () => {
  it("sums spend and tokens per model, run and day with a total row, as text, JSON and CSV, and filters --since", async () => {
    const { cli, run } = await setup();
    const first = await run("nothing");
    const between = new Date().toISOString();
    const second = await run("write a.txt");
    expect([first.costUsd, second.costUsd]).toEqual(["0.000168", "0.0003001376"]);

    const byRun = await cli(["cost", "--by", "run", "--json"]);
    expect(byRun.exitCode, byRun.stderr).toBe(0);
    // Total: 168 + 300.1376 = 468.1376 per million; hit share 1792 / 4700 = 0.3813 (to 4 places).
    expect(json(byRun.stdout)).toEqual({
      by: "run",
      since: null,
      groups: [
        {
          run: second.id,
          requests: 2,
          inputTokens: 3700,
          cacheHitTokens: 1792,
          cacheMissTokens: 1908,
          outputTokens: 100,
          cacheHitShare: 0.4843,
          costUsd: "0.0003001376",
        },
        {
          run: first.id,
          requests: 1,
          inputTokens: 1000,
          cacheHitTokens: 0,
          cacheMissTokens: 1000,
          outputTokens: 100,
          cacheHitShare: 0,
          costUsd: "0.000168",
        },
      ],
      total: {
        requests: 3,
        inputTokens: 4700,
        cacheHitTokens: 1792,
        cacheMissTokens: 2908,
        outputTokens: 200,
        cacheHitShare: 0.3813,
        costUsd: "0.0004681376",
      },
    });

    const csv = await cli(["cost", "--by", "model", "--csv"]);
    const rows = csv.stdout
      .trimEnd()
      .split("\r\n")
      .map((line) => line.split(","));
    expect(rows).toEqual([
      [
        "model",
        "requests",
        "input_tokens",
        "cache_hit_tokens",
        "cache_miss_tokens",
        "output_tokens",
        "cache_hit_share",
        "cost_usd",
      ],
      ["deepseek-v4-flash", "3", "4700", "1792", "2908", "200", "0.3813", "0.0004681376"],
      ["total", "3", "4700", "1792", "2908", "200", "0.3813", "0.0004681376"],
    ]);

    const since = await cli(["cost", "--by", "run", "--since", between, "--json"]);
    expect(json(since.stdout).groups.map((group: { run: string }) => group.run)).toEqual([second.id]);
    expect(json(since.stdout).total.costUsd).toBe("0.0003001376");
    const future = await cli(["cost", "--since", "2099-01-01"]);
    expect(future.stdout).toBe("No billed calls since 2099-01-01T00:00:00.000Z.\n");
    const week = await cli(["cost", "--since", "7d", "--by", "day"]);
    expect(week.stdout).toContain("total");
    expect(week.stdout).toContain("$0.00047");

    const wrong = await cli(["cost", "--since", "yesterday"]);
    expect(wrong.exitCode).toBe(2);
    expect(wrong.stderr).toContain("expected a day (2026-11-30), an ISO time, or a span such as 12h, 7d or 2w");
  });

  it("prices a run's steps on other models at its date, with ratios, cache hits as misses and reasons", async () => {
    const { cli, run } = await setup();
    await run("nothing");
    const second = await run("write a.txt");
    const compare = ["cost", "compare", second.id, "--models"];
    const compared = await cli([...compare, "gpt-5,claude-sonnet-4-5,flat-cache,deepseek-chat,future,nope"]);
    expect(compared.exitCode, compared.stderr).toBe(0);
    const jsonResult = await cli([...compare, "gpt-5,claude-sonnet-4-5,flat-cache,future,nope", "--json"]);
    const report = json(jsonResult.stdout);
    expect(Object.keys(report)).toEqual(["run", "actualCostUsd", "models"]);
    expect(report.run).toBe(second.id);
    expect(report.actualCostUsd).toBe("0.0003001376");
    // gpt-5: step 0 1800 x 1.25 + 60 x 10 = 2850; step 1 1792 x 0.125 + 108 x 1.25 + 40 x 10 = 224 + 135 + 400 = 759;
    // 3609 per million, 3609 / 300.1376 = 12.0245 times. claude-sonnet-4-5: 5400 + 900 = 6300; 537.6 + 324 + 600
    // = 1461.6; 7761.6 per million, 25.8601 times. flat-cache (hit = miss = 1, output 2): 3700 + 200 = 3900 per
    // million, 12.9940 times.
    expect(report.models).toEqual([
      { id: "gpt-5", costUsd: "0.003609", ratio: 12.0245, provider: "openai", cacheHits: "cache-hit price" },
      {
        id: "flat-cache",
        costUsd: "0.0039",
        ratio: 12.994,
        provider: "openai-compatible",
        cacheHits: "priced as misses: no cache discount",
      },
      {
        id: "claude-sonnet-4-5",
        costUsd: "0.0077616",
        ratio: 25.8601,
        provider: "anthropic",
        cacheHits: "cache-hit price",
      },
      {
        id: "future",
        costUsd: null,
        ratio: null,
        provider: "openai-compatible",
        reason: "future has no price before 2030-01-01, after the run's date.",
      },
      { id: "nope", costUsd: null, ratio: null, reason: "nope is not in the catalog (see `tansuo models`)." },
    ]);
    expect(compared.stdout).toContain(`Run ${second.id} on deepseek-v4-flash: $0.0003 (0.0003001376 USD)`);
    expect(compared.stdout).toContain("a model without a cache discount prices them as misses.\n");
    expect(compared.stdout).toMatch(/gpt-5\s+\$0\.0036\s+12\.0245x/);
    expect(compared.stdout).toMatch(/flat-cache\s+\$0\.0039\s+12\.994x\s+priced as misses: no cache discount/);
    expect(compared.stdout).toMatch(
      /deepseek-chat\s+–\s+–\s+deepseek-chat was retired on 2026-07-24, before the run\./,
    );

    // Without --models: every catalog model priced at the run's date, its own model at 1x, retired ones left out.
    const all = json((await cli(["cost", "compare", second.id, "--json"])).stdout);
    const ids = all.models.map((model: { id: string }) => model.id);
    expect(ids).toContain("gpt-5");
    expect(ids).not.toContain("deepseek-chat");
    expect(all.models.find((model: { id: string }) => model.id === "deepseek-v4-flash")).toMatchObject({
      costUsd: "0.0003001376",
      ratio: 1,
    });
    const missing = await cli(["cost", "compare", "run_nope"]);
    expect(missing.exitCode).toBe(1);
    expect(missing.stderr).toBe("tansuo: No run with id run_nope. List runs with `tansuo runs list`.\n");
  });

  const onPostgres = "unavailable" in postgres ? describe.skip : describe;
  onPostgres(`on PostgreSQL${"unavailable" in postgres ? ` (skipped: ${postgres.unavailable})` : ""}`, () => {
    it("reports the same figures from a PostgreSQL store", async () => {
      if ("unavailable" in postgres) return;
      const { cli, run } = await setup(await postgres.createDatabase("cost"));
      const first = await run("nothing");
      const second = await run("write a.txt");
      const byRun = json((await cli(["cost", "--by", "run", "--json"])).stdout);
      expect(byRun.groups.map((group: { run: string; costUsd: string }) => [group.run, group.costUsd])).toEqual([
        [second.id, "0.0003001376"],
        [first.id, "0.000168"],
      ]);
      expect(byRun.total.costUsd).toBe("0.0004681376");
      const compared = json((await cli(["cost", "compare", second.id, "--models", "gpt-5", "--json"])).stdout);
      expect(compared).toEqual({
        run: second.id,
        actualCostUsd: "0.0003001376",
        models: [
          { id: "gpt-5", costUsd: "0.003609", ratio: 12.0245, provider: "openai", cacheHits: "cache-hit price" },
        ],
      });
    });
  });
});
