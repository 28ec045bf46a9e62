import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { collectRuns } from "../../src/evals/report/collect-runs.ts";
import { seedRun, tokens, type ViewerFixture, viewerGateway } from "./support/viewer-gateway.ts";

let fixture: ViewerFixture | undefined;
const folders: string[] = [];
afterEach(async () => {
  await fixture?.close();
  fixture = undefined;
  for (const folder of folders.splice(0)) rmSync(folder, { recursive: true, force: true });
});

const december = () => new Date("2026-12-01T12:00:00Z");

const sample = (taskId: string, status: "passed" | "failed") =>
  JSON.stringify({
    suite: "humaneval",
    model: "deepseek-v4-flash",
    taskId,
    sample: 0,
    status,
    answer: "",
    completion: "",
    error: null,
    usage: tokens(0, 1000, 100),
    costUsd: "0.001",
    latencyMs: 1000,
    temperature: 0,
    scoredAt: "2026-11-01T00:00:00Z",
  });

describe("the viewer's chart data", () => {
  it("lists the catalog's current prices per 1M tokens as decimal strings, grouped by vendor", async () => {
    fixture = await viewerGateway({ gateway: { now: december } });
    const prices = await fixture.json(fixture.keys.alice.key, "/v1/prices");
    const byModel = new Map(prices.data.map((row: { model: string }) => [row.model, row]));
    expect(byModel.get("deepseek-v4-flash")).toEqual({
      model: "deepseek-v4-flash",
      provider: "deepseek",
      vendor: "DeepSeek",
      input_cache_hit: "0.0028",
      input_cache_miss: "0.14",
      output: "0.28",
    });
    expect(byModel.get("qwen-plus")).toMatchObject({ vendor: "Qwen", input_cache_miss: "0.40", output: "1.20" });
    expect(byModel.get("doubao-seed-1.6")).toMatchObject({ vendor: "Doubao", output: "1.1111" });
    expect(byModel.get("gpt-5-nano")).toMatchObject({ vendor: "OpenAI" });
    expect(byModel.get("claude-sonnet-4-5")).toMatchObject({ vendor: "Anthropic" });
    expect(byModel.get("gemini-2.5-flash")).toMatchObject({ vendor: "Google" });
    // Retired in July 2026.
    expect(byModel.has("deepseek-chat")).toBe(false);
  });

  it("sums spend per day and per model from the ledger, the caller's rows only unless admin", async () => {
    fixture = await viewerGateway();
    const { keys } = fixture;
    await seedRun(fixture, {
      task: "t",
      ownerKeyId: keys.alice.id,
      steps: [
        { usage: tokens(100, 900, 10), costUsd: "0.25", at: "2026-11-29T10:00:00.000Z" },
        { usage: tokens(800, 200, 20), costUsd: "0.5", at: "2026-11-30T10:00:00.000Z" },
      ],
    });
    await seedRun(fixture, {
      task: "t",
      ownerKeyId: keys.bob.id,
      model: "deepseek-v4-pro",
      steps: [{ usage: tokens(0, 1000, 30), costUsd: "2", at: "2026-11-30T11:00:00.000Z" }],
    });
    const alicesDays = await fixture.json(keys.alice.key, "/v1/spend?by=day");
    expect(alicesDays).toEqual({
      object: "list",
      by: "day",
      data: [
        {
          day: "2026-11-29",
          requests: 1,
          cost_usd: "0.25",
          input_tokens: 1000,
          cache_hit_tokens: 100,
          cache_miss_tokens: 900,
          output_tokens: 10,
          cache_hit_share: 0.1,
        },
        {
          day: "2026-11-30",
          requests: 1,
          cost_usd: "0.5",
          input_tokens: 1000,
          cache_hit_tokens: 800,
          cache_miss_tokens: 200,
          output_tokens: 20,
          cache_hit_share: 0.8,
        },
      ],
      total: {
        requests: 2,
        cost_usd: "0.75",
        input_tokens: 2000,
        cache_hit_tokens: 900,
        cache_miss_tokens: 1100,
        output_tokens: 30,
        cache_hit_share: 0.45,
      },
    });
    const allModels = await fixture.json(keys.ops.key, "/v1/spend?by=model");
    expect(allModels.data).toEqual([
      {
        model: "deepseek-v4-pro",
        requests: 1,
        cost_usd: "2",
        input_tokens: 1000,
        cache_hit_tokens: 0,
        cache_miss_tokens: 1000,
        output_tokens: 30,
        cache_hit_share: 0,
      },
      {
        model: "deepseek-v4-flash",
        requests: 2,
        cost_usd: "0.75",
        input_tokens: 2000,
        cache_hit_tokens: 900,
        cache_miss_tokens: 1100,
        output_tokens: 30,
        cache_hit_share: 0.45,
      },
    ]);
    // Per run and per key, as `tansuo cost --by run|key`: the costliest first.
    const byKey = await fixture.json(keys.ops.key, "/v1/spend?by=key");
    expect(byKey.data.map((row: { key: string; cost_usd: string }) => [row.key, row.cost_usd])).toEqual([
      [keys.bob.id, "2"],
      [keys.alice.id, "0.75"],
    ]);
    const byRun = await fixture.json(keys.alice.key, "/v1/spend?by=run");
    expect(byRun.data).toEqual([expect.objectContaining({ requests: 2, cost_usd: "0.75" })]);
    expect(byRun.data[0].run).toMatch(/^run_/);
    const since = await fixture.json(keys.ops.key, "/v1/spend?by=day&since=2026-11-30");
    expect(since.data).toEqual([expect.objectContaining({ day: "2026-11-30", requests: 2, cost_usd: "2.5" })]);
    expect((await fixture.request(keys.ops.key, "/v1/spend?by=week")).status).toBe(400);
    expect((await fixture.request(keys.ops.key, "/v1/spend?since=yesterday")).status).toBe(400);
  });

  it("shows the eval summaries of the --evals folders to an admin key, 403 to a plain key", async () => {
    const root = mkdtempSync(path.join(tmpdir(), "tansuo-evals-"));
    folders.push(root);
    mkdirSync(path.join(root, "flash"));
    writeFileSync(path.join(root, "flash", "results.jsonl"), `${sample("a", "passed")}\n${sample("b", "failed")}\n`);
    fixture = await viewerGateway({ gateway: { evalResults: { directories: [root], collect: collectRuns } } });
    const evals = await fixture.json(fixture.keys.ops.key, "/v1/evals");
    expect(evals).toEqual({
      object: "list",
      data: [
        {
          directory: path.join(root, "flash"),
          suite: "humaneval",
          model: "deepseek-v4-flash",
          reference: false,
          tasks: 2,
          pass_at_1: 0.5,
          cost_usd: "0.002",
          cost_per_task_usd: "0.001",
          cost_per_solved_usd: "0.002",
          complete: true,
        },
      ],
    });
    const refused = await fixture.request(fixture.keys.alice.key, "/v1/evals");
    expect(refused.status).toBe(403);
    expect(((await refused.json()) as { error: { code: string } }).error.code).toBe("permission_denied");
  });

  it("answers an empty eval list when no folder was given", async () => {
    fixture = await viewerGateway();
    expect(await fixture.json(fixture.keys.ops.key, "/v1/evals")).toEqual({ object: "list", data: [] });
  });
});
