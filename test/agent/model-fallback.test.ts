import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { createRuntime, executeRun, type RunEvent, startRun } from "../../src/agent/index.ts";
import { Catalog } from "../../src/models/catalog.ts";
import { resolveModel } from "../../src/models/resolve-model.ts";
import { SqliteStore } from "../../src/store/sqlite-store.ts";
import { type DeepSeekServerOptions, startDeepSeekServer } from "../support/deepseek-server/index.ts";
import type { RecordedRequest, ScriptedReply } from "../support/deepseek-server/types.ts";

const apiKey = "sk-fallback-000888";
const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

type WireMessage = { role: string; reasoning_content?: unknown; tool_calls?: { id: string }[]; tool_call_id?: string };
const modelOf = (request: RecordedRequest) => (request.body as { model: string }).model;

/** A run's world: one DeepSeek-format server answering per model, a SQLite store, a catalog, a short retry policy. */
async function fallbackWorld(
  answer: (model: string, request: RecordedRequest) => ScriptedReply,
  overrides: { id: string; [key: string]: unknown }[] = [],
  serverOptions: Partial<DeepSeekServerOptions> = {},
) {
  const server = await startDeepSeekServer({
    apiKey,
    rules: { reasoningContent: "v3.2-requires-on-tool-turns" },
    fallback: (request) => answer(modelOf(request), request),
    ...serverOptions,
  });
  const folder = mkdtempSync(path.join(tmpdir(), "tansuo-fallback-"));
  const workspace = path.join(folder, "workspace");
  mkdirSync(workspace);
  writeFileSync(path.join(workspace, "notes.txt"), "ship it\n");
  const store = new SqliteStore(path.join(folder, "tansuo.db"));
  const catalog = Catalog.builtIn().withOverrides(overrides);
  const runtime = createRuntime({
    store,
    retryPolicy: { maxRetries: 1, initialDelayMilliseconds: 1, maxDelayMilliseconds: 1 },
    resolveModel: (spec, options) =>
      resolveModel(spec, {
        catalog,
        env: { DEEPSEEK_API_KEY: apiKey },
        modelsDirectory: path.join(folder, "models"),
        baseUrl: server.url,
        retryPolicy: options.retryPolicy,
      }),
  });
  cleanups.push(
    () => server.close(),
    () => store.close(),
    () => rmSync(folder, { recursive: true, force: true }),
  );
  const run = async (settings: { fallbacks?: string[]; budgetUsd?: string } = {}) => {
    const events: RunEvent[] = [];
    const started = await startRun(runtime, {
      task: "read the notes",
      model: "deepseek-v4-flash",
      workspace,
      tools: ["read_file"],
      approval: "auto",
      ...settings,
    });
    const finished = await executeRun(runtime, started.id, { onEvent: (event) => events.push(event) });
    return { finished, events };
  };
  return { server, store, run };
}

const unavailable: ScriptedReply = { status: 503, message: "Service Unavailable" };

describe("model fallbacks in a run", () => {
  it("moves mid-run from a model that answers 503 to its fallback, and the run finishes there", async () => {
    let flashCalls = 0;
    const { server, store, run } = await fallbackWorld(
      (model) => {
        if (model === "deepseek-v4-flash") {
          flashCalls += 1;
          if (flashCalls === 1) {
            return {
              reasoningContent: "flash thinks: the notes are in notes.txt",
              toolCalls: [{ id: "call_flash_1", name: "read_file", arguments: { path: "notes.txt" } }],
            };
          }
          return unavailable;
        }
        return { reasoningContent: "pro read them", content: "The notes say: ship it." };
      },
      // The list comes from the model entry (config `models: [{ id, fallbacks }]`).
      [{ id: "deepseek-v4-flash", fallbacks: ["deepseek-v4-pro"] }],
    );
    const { finished, events } = await run();
    expect(finished).toMatchObject({ status: "succeeded", output: "The notes say: ship it." });
    expect(finished.settings.fallbacks).toEqual(["deepseek-v4-pro"]);
    // Step 1 on flash; step 2: flash 503 twice (the first try and one retry), then pro.
    expect(server.requests.map((request) => `${modelOf(request)}:${request.status}`)).toEqual([
      "deepseek-v4-flash:200",
      "deepseek-v4-flash:503",
      "deepseek-v4-flash:503",
      "deepseek-v4-pro:200",
    ]);
    // Pro was sent the transcript valid for it: flash's tool call with its id, reasoning and result.
    const proMessages = (server.requests[3]!.body as { messages: WireMessage[] }).messages;
    const toolTurn = proMessages.find((message) => message.tool_calls);
    expect(toolTurn).toMatchObject({
      reasoning_content: "flash thinks: the notes are in notes.txt",
      tool_calls: [{ id: "call_flash_1" }],
    });
    expect(proMessages.find((message) => message.role === "tool")?.tool_call_id).toBe("call_flash_1");

    const fallback = events.find((event) => event.type === "model-fallback");
    expect(fallback).toMatchObject({
      type: "model-fallback",
      step: 1,
      from: "deepseek-v4-flash",
      to: "deepseek-v4-pro",
    });
    expect((fallback as { reason: string }).reason).toContain("HTTP 503 past the retries");
    expect((await store.lastEvent(finished.id, "model-fallback"))?.data).toEqual(fallback);
    // Each step (and its ledger row) names the model that answered; the failed call is a $0 discarded step.
    const steps = await store.listSteps(finished.id);
    expect(steps.map((step) => [step.model, step.assistant.discarded ?? false, step.costUsd === "0"])).toEqual([
      ["deepseek-v4-flash", false, false],
      ["deepseek-v4-flash", true, true],
      ["deepseek-v4-pro", false, false],
    ]);
    const ledger = await store.ledgerLines({});
    expect(ledger.filter((line) => line.runId === finished.id).map((line) => line.model)).toEqual([
      "deepseek-v4-flash",
      "deepseek-v4-flash",
      "deepseek-v4-pro",
    ]);
  });

  it("a 400 does not fall back: the run fails as it would without fallbacks", async () => {
    const { server, run } = await fallbackWorld((model) =>
      model === "deepseek-v4-flash" ? { status: 400, message: "Invalid request: bad field" } : { content: "no" },
    );
    const { finished, events } = await run({ fallbacks: ["deepseek-v4-pro"] });
    expect(finished.status).toBe("failed");
    expect(finished.error).toContain("400");
    expect(server.requests.map(modelOf)).toEqual(["deepseek-v4-flash"]);
    expect(events.some((event) => event.type === "model-fallback")).toBe(false);
  });

  it("ends budget_exhausted naming the fallback when its worst case does not fit the budget left", async () => {
    const { server, run } = await fallbackWorld(
      (model) => (model === "deepseek-v4-flash" ? unavailable : { content: "too dear" }),
      // Pro at $1000 per million tokens: a few hundred prompt tokens alone pass $0.01.
      [
        {
          id: "deepseek-v4-pro",
          prices: [
            { effectiveFrom: "2020-01-01T00:00:00Z", inputCacheHit: "1000", inputCacheMiss: "1000", output: "1000" },
          ],
        },
      ],
    );
    const { finished, events } = await run({ fallbacks: ["deepseek-v4-pro"], budgetUsd: "0.01" });
    expect(finished.status).toBe("budget_exhausted");
    expect(finished.error).toContain("falling back from deepseek-v4-flash to deepseek-v4-pro");
    expect(finished.error).toContain("the run's $0.01 budget");
    expect(events.some((event) => event.type === "model-fallback")).toBe(true);
    expect(server.requests.map(modelOf)).toEqual(["deepseek-v4-flash", "deepseek-v4-flash"]);
  });

  it("falls back after three answers cut for lack of resources instead of failing", async () => {
    const { server, run } = await fallbackWorld((model) =>
      model === "deepseek-v4-flash"
        ? { content: "partial", finishReason: "insufficient_system_resource" }
        : { content: "Done on pro." },
    );
    const { finished, events } = await run({ fallbacks: ["deepseek-v4-pro"] });
    expect(finished).toMatchObject({ status: "succeeded", output: "Done on pro." });
    expect(server.requests.map(modelOf)).toEqual([
      "deepseek-v4-flash",
      "deepseek-v4-flash",
      "deepseek-v4-flash",
      "deepseek-v4-pro",
    ]);
    const fallback = events.find((event) => event.type === "model-fallback") as { reason: string } | undefined;
    expect(fallback?.reason).toContain("insufficient_system_resource");
  });
});
