import Anthropic from "@anthropic-ai/sdk";
import { afterEach, describe, expect, it } from "vitest";
import { issueApiKey } from "../../src/server/index.ts";
import { anthropicClient } from "./support/anthropic-client.ts";
import { type FixtureOptions, type GatewayFixture, startGatewayFixture } from "./support/gateway-fixture.ts";

const fixtures: GatewayFixture[] = [];
afterEach(async () => {
  await Promise.all(fixtures.splice(0).map((fixture) => fixture.close()));
});

async function start(options: FixtureOptions = {}): Promise<GatewayFixture> {
  const fixture = await startGatewayFixture(options);
  fixtures.push(fixture);
  return fixture;
}

const hello = { model: "deepseek-v4-flash", max_tokens: 200, messages: [{ role: "user" as const, content: "Hi." }] };
// 600 x 0.0028 + 400 x 0.14 + 200 x 0.28 millionths of a dollar (deepseek-v4-flash).
const flashUsage = { promptTokens: 1000, cacheHitTokens: 600, completionTokens: 200, reasoningTokens: 50 };
const flashCostUsd = "0.00011368";

const caught = (promise: Promise<unknown>) =>
  promise.then(
    () => undefined,
    (error: unknown) => error,
  );

describe("Messages API keys and errors, in Anthropic's error shape", () => {
  it("takes the key as x-api-key or as a Bearer token; a wrong key is the SDK's AuthenticationError", async () => {
    let key = "";
    const fixture = await start({
      upstream: { fallback: () => ({ content: "Hello." }) },
      prepare: async (store) => (key = (await issueApiKey(store, { name: "claude" })).key),
    });
    const byHeader = await anthropicClient(fixture, key).messages.create(hello);
    expect(byHeader.content).toEqual([{ type: "text", text: "Hello." }]);
    const byBearer = new Anthropic({ baseURL: fixture.server.url, authToken: key, apiKey: null, maxRetries: 0 });
    expect((await byBearer.messages.create(hello)).content).toEqual([{ type: "text", text: "Hello." }]);

    const wrong = await caught(anthropicClient(fixture, "tsk_not-a-real-key").messages.create(hello));
    expect(wrong).toBeInstanceOf(Anthropic.AuthenticationError);
    expect(wrong).toMatchObject({ status: 401, type: "authentication_error" });
    expect((wrong as Error).message).toContain("is not known to this server");
    const counted = await caught(
      anthropicClient(fixture, "tsk_not-a-real-key").messages.countTokens({
        model: hello.model,
        messages: hello.messages,
      }),
    );
    expect(counted).toBeInstanceOf(Anthropic.AuthenticationError);

    const bare = await fetch(`${fixture.server.url}/v1/messages`, {
      method: "POST",
      headers: { "content-type": "application/json", "anthropic-version": "2023-06-01" },
      body: JSON.stringify(hello),
    });
    expect(bare.status).toBe(401);
    expect(await bare.json()).toMatchObject({
      type: "error",
      error: { type: "authentication_error", message: expect.stringContaining("x-api-key") },
    });
    expect(fixture.upstream.requests).toHaveLength(2);
  });

  it("402 billing_error before any upstream call once a key has spent its budget", async () => {
    let key = "";
    const fixture = await start({
      upstream: { fallback: () => ({ content: "Hello!", usage: flashUsage }) },
      prepare: async (store) => (key = (await issueApiKey(store, { name: "small", budgetUsd: "0.0001" })).key),
    });
    const client = anthropicClient(fixture, key);
    await client.messages.create(hello);
    const refused = await caught(client.messages.create(hello));
    expect(refused).toBeInstanceOf(Anthropic.APIError);
    expect(refused).toMatchObject({ status: 402, type: "billing_error" });
    expect((refused as Error).message).toContain(`spent $${flashCostUsd} of its $0.0001 budget`);
    expect(fixture.upstream.requests).toHaveLength(1);
    const rows = await fixture.store.usageRows();
    expect(rows.map((row) => row.costUsd)).toEqual([flashCostUsd]);
  });

  it("400 for a body without max_tokens or with a block the turn cannot carry, 404 for an unknown model", async () => {
    const fixture = await start();
    const client = anthropicClient(fixture);
    const missing = await caught(client.messages.create({ model: hello.model, messages: hello.messages } as never));
    expect(missing).toBeInstanceOf(Anthropic.BadRequestError);
    expect(missing).toMatchObject({ status: 400, type: "invalid_request_error" });
    expect((missing as Error).message).toContain("`max_tokens`: required, but missing");

    const orphan = await caught(
      client.messages.create({
        ...hello,
        messages: [{ role: "user", content: [{ type: "tool_result", tool_use_id: "toolu_x", content: "ok" }] }],
      }),
    );
    expect(orphan).toBeInstanceOf(Anthropic.BadRequestError);
    expect((orphan as InstanceType<typeof Anthropic.APIError>).apiMessage).toContain('answers tool_use "toolu_x"');

    const unknown = await caught(client.messages.create({ ...hello, model: "no-such-model" }));
    expect(unknown).toBeInstanceOf(Anthropic.NotFoundError);
    expect(unknown).toMatchObject({ status: 404 });
    expect((unknown as Error).message).toContain("GET /v1/models");
    expect(fixture.upstream.requests).toHaveLength(0);
  });

  it("a stream the upstream cuts off ends with Anthropic's error event, and what was sent is billed", async () => {
    const fixture = await start({
      upstream: { script: [{ content: "one two three four five six seven", destroyAfterChunks: 5, chunkDelayMs: 10 }] },
    });
    const stream = anthropicClient(fixture).messages.stream(hello);
    let text = "";
    stream.on("text", (delta) => {
      text += delta;
    });
    const error = await caught(stream.finalMessage());
    expect(error).toBeInstanceOf(Anthropic.APIError);
    expect(error).toMatchObject({ type: "api_error" });
    expect((error as Error).message).toContain("stream broke off");
    expect(text.length).toBeGreaterThan(0);
    const rows = await fixture.store.usageRows();
    expect(rows).toHaveLength(1);
    expect(Number(rows[0]?.costUsd)).toBeGreaterThan(0);
  });
});
