import { afterEach, describe, expect, it } from "vitest";
import { settingsSchema } from "../../src/config/settings-schema.ts";
import { Catalog } from "../../src/models/catalog.ts";
import { resolveModel } from "../../src/models/resolve-model.ts";
import { createGateway, type Gateway, issueApiKey } from "../../src/server/index.ts";
import { SqliteStore } from "../../src/store/sqlite-store.ts";
import { type DeepSeekServer, startDeepSeekServer } from "../support/deepseek-server/index.ts";
import { bearer, chatBody, inMemoryGateway } from "./support/in-memory-gateway.ts";

const upstreamApiKey = "sk-upstream-test";
let upstream: DeepSeekServer | undefined;
afterEach(async () => {
  await upstream?.close();
  upstream = undefined;
});

/** The gateway in memory (`app.request`, no Node response) over the real provider and a DeepSeek-format upstream. */
async function gatewayOverUpstream(script: Parameters<typeof startDeepSeekServer>[0]): Promise<{
  gateway: Gateway;
  store: SqliteStore;
}> {
  upstream = await startDeepSeekServer({ apiKey: upstreamApiKey, ...script });
  const store = new SqliteStore(":memory:");
  const settings = settingsSchema.parse({ models: [{ id: "deepseek-v4-flash", baseUrl: upstream.url }] });
  const catalog = Catalog.builtIn().withOverrides(settings.models);
  const gateway = createGateway({
    store,
    settings,
    catalog,
    resolveModel: (spec) =>
      resolveModel(spec, {
        catalog,
        env: { DEEPSEEK_API_KEY: upstreamApiKey },
        modelsDirectory: "/nonexistent",
        retryPolicy: { maxRetries: 0, initialDelayMilliseconds: 0, maxDelayMilliseconds: 0 },
      }),
  });
  return { gateway, store };
}

const dataOf = (body: string) =>
  body
    .split("\n\n")
    .filter((event) => event.startsWith("data: "))
    .map((event) => event.slice("data: ".length));

describe("a streamed answer without a Node response (in memory, through a web stream)", () => {
  it("sends the same SSE chunks, usage and [DONE], and writes the ledger row by the end", async () => {
    const { gateway, store } = await gatewayOverUpstream({
      script: [{ content: "one two three", usage: { promptTokens: 30, completionTokens: 3 } }],
    });
    const response = await gateway.app.request("/v1/chat/completions", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: chatBody({ stream: true, stream_options: { include_usage: true } }),
    });
    expect(response.headers.get("content-type")).toMatch(/^text\/event-stream/);
    const events = dataOf(await response.text());
    expect(events.at(-1)).toBe("[DONE]");
    const chunks = events.slice(0, -1).map((event) => JSON.parse(event));
    expect(chunks[0].choices[0].delta).toEqual({ role: "assistant", content: "" });
    expect(chunks.map((chunk) => chunk.choices[0]?.delta.content ?? "").join("")).toBe("one two three");
    expect(chunks.at(-2).choices[0].finish_reason).toBe("stop");
    expect(chunks.at(-1)).toMatchObject({ choices: [], usage: { prompt_tokens: 30, completion_tokens: 3 } });
    expect(await store.usageRows()).toHaveLength(1);
    expect((await store.usageRows())[0]?.usage).toMatchObject({ inputTokens: 30, outputTokens: 3 });
  });

  it("stops the upstream and bills what was streamed when the reader cancels", async () => {
    const words = Array.from({ length: 40 }, (_, index) => `word${index}`).join(" ");
    const { gateway, store } = await gatewayOverUpstream({ script: [{ content: words, chunkDelayMs: 30 }] });
    const response = await gateway.app.request("/v1/chat/completions", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: chatBody({ stream: true }),
    });
    const reader = response.body!.getReader();
    const decoder = new TextDecoder();
    let received = "";
    while (!received.includes("word2")) received += decoder.decode((await reader.read()).value);
    await reader.cancel();
    const server = upstream!;
    await expect.poll(() => server.disconnects).toBe(1);
    expect(await store.usageRows()).toHaveLength(1);
    const usage = (await store.usageRows())[0]!.usage;
    expect(usage.outputTokens).toBeGreaterThan(0);
    expect(usage.outputTokens).toBeLessThan(40);
  });
});

describe("a ledger row that cannot be written", () => {
  it("fails the request and keeps the key's budget hold, so the unrecorded spend cannot be spent again", async () => {
    const { gateway, store } = inMemoryGateway();
    const { key, record } = await issueApiKey(store, { budgetUsd: "1", concurrency: 2 });
    store.recordLedger = async () => {
      throw new Error("disk full");
    };
    const response = await gateway.app.request("/v1/chat/completions", {
      method: "POST",
      headers: bearer(key),
      body: chatBody({ max_tokens: 100 }),
    });
    expect(response.status).toBe(500);
    expect(await response.json()).toMatchObject({ error: { message: expect.stringContaining("disk full") } });
    expect(Number(await gateway.context.budget.remaining(record))).toBeLessThan(1);
    expect(await gateway.context.limits.inFlight(record.id)).toBe(0);
  });
});
