import OpenAI from "openai";
import { afterEach, describe, expect, it } from "vitest";
import { issueApiKey } from "../../src/server/index.ts";
import type { RecordedRequest, ScriptedReply } from "../support/deepseek-server/index.ts";
import { anthropicClient } from "./support/anthropic-client.ts";
import { type FixtureOptions, type GatewayFixture, startGatewayFixture } from "./support/gateway-fixture.ts";

const fixtures: GatewayFixture[] = [];
afterEach(async () => {
  await Promise.all(fixtures.splice(0).map((fixture) => fixture.close()));
});

const modelOf = (request: RecordedRequest) => (request.body as { model: string }).model;
const chatRequests = (fixture: GatewayFixture) =>
  fixture.upstream.requests.filter((request) => request.path.endsWith("/chat/completions"));

/** One DeepSeek-format upstream answering per model; `deepseek-v4-pro` falls back to `deepseek-v4-flash`. */
async function start(
  answer: (model: string) => ScriptedReply,
  options: { fallbacks?: Record<string, string[]>; prepare?: FixtureOptions["prepare"] } = {},
) {
  const fallbacks = options.fallbacks ?? { "deepseek-v4-pro": ["deepseek-v4-flash"] };
  const fixture = await startGatewayFixture({
    upstream: { fallback: (request) => answer(modelOf(request)) },
    settings: (url) => ({
      models: ["deepseek-v4-flash", "deepseek-v4-pro"].map((id) => ({
        id,
        baseUrl: url,
        ...(fallbacks[id] ? { fallbacks: fallbacks[id] } : {}),
      })),
    }),
    prepare: options.prepare,
  });
  fixtures.push(fixture);
  return fixture;
}

// deepseek-v4-flash: 0.0028 (hit) / 0.14 (miss) / 0.28 (output) USD per million tokens:
// 600 x 0.0028 + 400 x 0.14 + 200 x 0.28 = 113.68 millionths. At v4-pro's prices it would be 0.0002197.
const usage = { promptTokens: 1000, cacheHitTokens: 600, completionTokens: 200 };
const flashCostUsd = "0.00011368";
const down: ScriptedReply = { status: 503, message: "Service Unavailable" };

describe("model fallback in the gateway, per request", () => {
  it("chat completions: a 503 from the named model is answered by its fallback, billed at the fallback's price", async () => {
    const fixture = await start((model) =>
      model === "deepseek-v4-pro" ? down : { content: "Answered by flash.", usage },
    );
    const { data, response } = await fixture
      .client()
      .chat.completions.create({ model: "deepseek-v4-pro", messages: [{ role: "user", content: "Hello?" }] })
      .withResponse();
    expect(data.choices[0]?.message.content).toBe("Answered by flash.");
    expect(data.model).toBe("deepseek-v4-flash");
    expect(response.headers.get("x-tansuo-model")).toBe("deepseek-v4-flash");
    expect(response.headers.get("x-tansuo-fallback-from")).toBe("deepseek-v4-pro");
    expect(response.headers.get("x-tansuo-fallback-reason")).toContain("HTTP 503");
    expect(chatRequests(fixture).map(modelOf)).toEqual(["deepseek-v4-pro", "deepseek-v4-flash"]);
    // The ledger has the call that answered, on the model that answered; the 503 cost nothing.
    const rows = await fixture.store.usageRows();
    expect(rows.map((row) => [row.model, row.costUsd])).toEqual([["deepseek-v4-flash", flashCostUsd]]);
  });

  it("Messages API, streamed: the fallback's answer streams, and a model that is up is never switched", async () => {
    const fixture = await start((model) =>
      model === "deepseek-v4-pro" ? down : { content: "Streamed by flash.", usage },
    );
    const stream = anthropicClient(fixture).messages.stream({
      model: "deepseek-v4-pro",
      max_tokens: 300,
      messages: [{ role: "user", content: "Hello?" }],
    });
    const final = await stream.finalMessage();
    expect(final.content).toEqual([{ type: "text", text: "Streamed by flash." }]);
    expect(final.model).toBe("deepseek-v4-flash");
    expect((await fixture.store.usageRows()).map((row) => row.model)).toEqual(["deepseek-v4-flash"]);

    // deepseek-v4-flash itself lists no fallbacks: its answer is its own, with no fallback headers.
    const { response } = await fixture
      .client()
      .chat.completions.create({ model: "deepseek-v4-flash", messages: [{ role: "user", content: "Hi" }] })
      .withResponse();
    expect(response.headers.get("x-tansuo-model")).toBe("deepseek-v4-flash");
    expect(response.headers.get("x-tansuo-fallback-from")).toBeNull();
  });

  it("Responses API, streamed: a connection the named model drops is answered by the fallback, billed as it", async () => {
    const fixture = await start((model) =>
      model === "deepseek-v4-pro" ? { destroyAfterChunks: 0 } : { content: "Responded by flash.", usage },
    );
    const stream = await fixture.client().responses.create({ model: "deepseek-v4-pro", input: "Hello?", stream: true });
    let text = "";
    let completed: OpenAI.Responses.Response | undefined;
    for await (const event of stream) {
      if (event.type === "response.output_text.delta") text += event.delta;
      if (event.type === "response.completed") completed = event.response;
    }
    expect(text).toBe("Responded by flash.");
    expect(completed?.model).toBe("deepseek-v4-flash");
    expect(chatRequests(fixture).map(modelOf)).toEqual(["deepseek-v4-pro", "deepseek-v4-flash"]);
    const rows = await fixture.store.usageRows();
    expect(rows.map((row) => [row.model, row.costUsd])).toEqual([["deepseek-v4-flash", flashCostUsd]]);
  });

  it("does not fall back for the caller's own mistake (400): that would fail on any model", async () => {
    const fixture = await start((model) =>
      model === "deepseek-v4-pro"
        ? { status: 400, message: "This model's maximum context length is 131072 tokens" }
        : { content: "never", usage },
    );
    const refused = await fixture
      .client()
      .chat.completions.create({ model: "deepseek-v4-pro", messages: [{ role: "user", content: "Hello?" }] })
      .catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(OpenAI.APIError);
    expect((refused as InstanceType<typeof OpenAI.APIError>).status).toBe(400);
    expect(chatRequests(fixture).map(modelOf)).toEqual(["deepseek-v4-pro"]);
  });

  it("checks a fallback's worst case against the key's budget at its own prices, and says why none answered", async () => {
    let key = "";
    // flash fails; its fallback pro costs about three times as much per prompt token.
    const fixture = await start((model) => (model === "deepseek-v4-flash" ? down : { content: "never", usage }), {
      fallbacks: { "deepseek-v4-flash": ["deepseek-v4-pro"] },
      prepare: async (store) => (key = (await issueApiKey(store, { name: "tight", budgetUsd: "0.0015" })).key),
    });
    // About 4,000 tokens of prompt: about $0.0006 at flash's miss price (fits), about $0.0017 at pro's (does not).
    const long = Array.from({ length: 2000 }, (_, index) => `word${index}`).join(" ");
    const refused = await fixture
      .client(key)
      .chat.completions.create({ model: "deepseek-v4-flash", messages: [{ role: "user", content: long }] })
      .catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(OpenAI.APIError);
    const error = refused as InstanceType<typeof OpenAI.APIError>;
    expect(error.status).toBe(502);
    expect(error.message).toMatch(/No fallback answered \(deepseek-v4-pro: This request could cost up to/);
    expect(chatRequests(fixture).map(modelOf)).toEqual(["deepseek-v4-flash"]);
    expect(await fixture.store.usageRows()).toEqual([]);
  });
});
