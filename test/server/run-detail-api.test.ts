import { afterEach, describe, expect, it } from "vitest";
import { ownerHost } from "../../src/store/process-owner.ts";
import { interruptRun, seedRun, tokens, type ViewerFixture, viewerGateway } from "./support/viewer-gateway.ts";

let fixture: ViewerFixture | undefined;
afterEach(async () => {
  await fixture?.close();
  fixture = undefined;
});

const december = () => new Date("2026-12-01T12:00:00Z");

describe("a run's page: steps, priced on other models, resume", () => {
  it("lists the steps with tool calls, cumulative cost, estimated marks and the person's messages", async () => {
    fixture = await viewerGateway();
    const { keys, store } = fixture;
    const run = await seedRun(fixture, {
      task: "t",
      ownerKeyId: keys.alice.id,
      steps: [
        { usage: tokens(0, 1000, 100, 40), costUsd: "0.0002", text: "first" },
        { usage: tokens(900, 200, 50), costUsd: "0.00015", estimated: true },
      ],
      status: "succeeded",
    });
    await store.addRunMessage(run.id, "and now the tests");
    const page = await fixture.json(keys.alice.key, `/v1/runs/${run.id}/steps`);
    expect(page.object).toBe("list");
    expect(page.run).toMatchObject({ id: run.id, status: "queued", step_count: 2 });
    expect(page.data).toEqual([
      expect.objectContaining({
        index: 0,
        text: "first",
        reasoning: null,
        discarded: false,
        estimated: false,
        usage: { cache_hit_tokens: 0, cache_miss_tokens: 1000, output_tokens: 100, reasoning_tokens: 40 },
        cost_usd: "0.0002",
        cumulative_cost_usd: "0.0002",
        tool_calls: [],
      }),
      expect.objectContaining({ index: 1, estimated: true, cost_usd: "0.00015", cumulative_cost_usd: "0.00035" }),
    ]);
    expect(page.messages).toEqual([expect.objectContaining({ index: 0, after_step: 2, content: "and now the tests" })]);
  });

  it("shows a step's tool calls with arguments, results and image counts", async () => {
    fixture = await viewerGateway();
    const { keys, store } = fixture;
    const run = await seedRun(fixture, { task: "t", ownerKeyId: keys.alice.id });
    await store.commitStep({
      step: {
        runId: run.id,
        index: 0,
        assistant: {
          text: "",
          reasoning: "look first",
          toolCalls: [{ id: "c1", name: "read_file", input: '{"path":"a"}' }],
        },
        finishReason: "tool_calls",
        usage: tokens(0, 10, 5),
        costUsd: "0.00001",
        price: {},
        model: "deepseek-v4-flash",
        createdAt: new Date().toISOString(),
      },
      ledger: {
        at: new Date().toISOString(),
        model: "deepseek-v4-flash",
        usage: tokens(0, 10, 5),
        costUsd: "0.00001",
        price: {},
      },
      toolCalls: [
        {
          runId: run.id,
          stepIndex: 0,
          position: 0,
          callId: "c1",
          toolName: "read_file",
          input: '{"path":"a"}',
          status: "started",
          isError: false,
          startedAt: "2026-12-01T00:00:00.000Z",
        },
      ],
    });
    await store.updateToolCall(run.id, "c1", {
      status: "finished",
      output: "hello",
      outputImages: [{ mediaType: "image/png", base64: "iVBORw0KGgo=" }],
      finishedAt: "2026-12-01T00:00:01.000Z",
    });
    const [step] = (await fixture.json(keys.alice.key, `/v1/runs/${run.id}/steps`)).data;
    expect(step.reasoning).toBe("look first");
    expect(step.tool_calls).toEqual([
      {
        call_id: "c1",
        tool: "read_file",
        input: '{"path":"a"}',
        status: "finished",
        output: "hello",
        is_error: false,
        image_count: 1,
        started_at: "2026-12-01T00:00:00.000Z",
        finished_at: "2026-12-01T00:00:01.000Z",
      },
    ]);
  });

  it("prices the run's tokens on every current catalog model, cheapest first, leaving out retired ones", async () => {
    fixture = await viewerGateway({ gateway: { now: december } });
    const { keys } = fixture;
    // A million tokens of each kind: each model's cost is the sum of its three list prices.
    const run = await seedRun(fixture, {
      task: "t",
      ownerKeyId: keys.alice.id,
      steps: [{ usage: tokens(1_000_000, 1_000_000, 1_000_000), costUsd: "0.4228" }],
    });
    const priced = await fixture.json(keys.alice.key, `/v1/runs/${run.id}/priced`);
    expect(priced).toMatchObject({
      object: "list",
      run_id: run.id,
      actual_cost_usd: "0.4228",
      priced_at: run.createdAt,
    });
    const byModel = new Map(priced.data.map((row: { model: string }) => [row.model, row]));
    expect(byModel.get("deepseek-v4-flash")).toEqual({
      model: "deepseek-v4-flash",
      provider: "deepseek",
      cost_usd: "0.4228",
      ratio: 1,
      cache_hits: "cache-hit price",
    });
    expect(byModel.get("gpt-5-nano")).toMatchObject({ cost_usd: "0.455", ratio: 1.0762 });
    expect(byModel.get("qwen-plus")).toMatchObject({ cost_usd: "1.68" });
    expect(byModel.get("doubao-seed-1.6")).toMatchObject({ cost_usd: "1.2444" });
    expect(byModel.has("deepseek-chat")).toBe(false);
    const costs = priced.data.map((row: { cost_usd: string }) => Number(row.cost_usd));
    expect(costs).toEqual([...costs].sort((left, right) => left - right));
    // Named models, as `tansuo cost compare --models`: one not priced then is listed with why, not dropped.
    const named = await fixture.json(keys.alice.key, `/v1/runs/${run.id}/priced?models=gpt-5-nano,deepseek-chat`);
    expect(named.data).toEqual([
      { model: "gpt-5-nano", provider: "openai", cost_usd: "0.455", ratio: 1.0762, cache_hits: "cache-hit price" },
      {
        model: "deepseek-chat",
        provider: "deepseek",
        cost_usd: null,
        ratio: null,
        cache_hits: null,
        reason: "deepseek-chat was retired on 2026-07-24, before the run.",
      },
    ]);
  });

  it("gives a ratio of null for a run that cost nothing", async () => {
    fixture = await viewerGateway({ gateway: { now: december } });
    const run = await seedRun(fixture, { task: "t", ownerKeyId: fixture.keys.alice.id });
    const priced = await fixture.json(fixture.keys.alice.key, `/v1/runs/${run.id}/priced`);
    expect(
      priced.data.every((row: { ratio: unknown; cost_usd: string }) => row.ratio === null && row.cost_usd === "0"),
    ).toBe(true);
  });

  it("resumes an interrupted run in the background and refuses final, waiting or live-held runs with 409", async () => {
    fixture = await viewerGateway({
      script: [{ text: "picked up where it stopped", usage: { inputTokens: 10, outputTokens: 5 } }],
    });
    const { keys, store } = fixture;
    const gone = await seedRun(fixture, { task: "t", ownerKeyId: keys.alice.id });
    await interruptRun(fixture, gone.id);
    const resumed = await fixture.request(keys.alice.key, `/v1/runs/${gone.id}/resume`, { method: "POST" });
    expect(resumed.status).toBe(200);
    expect(((await resumed.json()) as { id: string }).id).toBe(gone.id);
    await fixture.gateway.agents!.settled();
    expect(await store.getRun(gone.id)).toMatchObject({ status: "succeeded", output: "picked up where it stopped" });

    const finished = await fixture.request(keys.alice.key, `/v1/runs/${gone.id}/resume`, { method: "POST" });
    expect(finished.status).toBe(409);
    expect(((await finished.json()) as { error: { code: string } }).error.code).toBe("run_state_conflict");

    const waiting = await seedRun(fixture, { task: "t", ownerKeyId: keys.alice.id, status: "awaiting_approval" });
    expect((await fixture.request(keys.alice.key, `/v1/runs/${waiting.id}/resume`, { method: "POST" })).status).toBe(
      409,
    );

    const held = await seedRun(fixture, { task: "t", ownerKeyId: keys.alice.id });
    await store.setRunStatus(held.id, "running");
    // The test runner's parent process: alive, and not this process (whose own stale leases are taken over).
    await store.claimRun(held.id, `${ownerHost()}:${process.ppid}:live`, 60_000);
    const live = await fixture.request(keys.alice.key, `/v1/runs/${held.id}/resume`, { method: "POST" });
    expect(live.status).toBe(409);
  });

  it("answers 404 for another key's run on every run route, and lets an admin key see and act on it", async () => {
    fixture = await viewerGateway();
    const { keys } = fixture;
    const alices = await seedRun(fixture, { task: "t", ownerKeyId: keys.alice.id, status: "succeeded" });
    const routes: [string, string][] = [
      ["GET", ""],
      ["GET", "/steps"],
      ["GET", "/priced"],
      ["GET", "/events"],
      ["POST", "/resume"],
      ["POST", "/approve"],
      ["POST", "/cancel"],
    ];
    for (const [method, suffix] of routes) {
      const response = await fixture.request(keys.bob.key, `/v1/runs/${alices.id}${suffix}`, { method });
      expect([method, suffix, response.status]).toEqual([method, suffix, 404]);
    }
    for (const [method, suffix] of routes.slice(0, 4)) {
      const response = await fixture.request(keys.ops.key, `/v1/runs/${alices.id}${suffix}`, { method });
      expect([method, suffix, response.status]).toEqual([method, suffix, 200]);
      await response.body?.cancel();
    }
    // Past the visibility check: the admin reaches the run's own state rules (a succeeded run is final).
    expect((await fixture.request(keys.ops.key, `/v1/runs/${alices.id}/resume`, { method: "POST" })).status).toBe(409);
    expect((await fixture.request(keys.ops.key, `/v1/runs/${alices.id}/cancel`, { method: "POST" })).status).not.toBe(
      404,
    );
  });
});
