import OpenAI from "openai";
import { afterEach, describe, expect, it } from "vitest";
import { issueApiKey } from "../../src/server/index.ts";
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

const hello = [{ role: "user" as const, content: "Say hello." }];

// deepseek-v4-flash: 0.0028 (hit) / 0.14 (miss) / 0.28 (output) USD per million tokens.
const scriptedUsage = { promptTokens: 1000, cacheHitTokens: 600, completionTokens: 200, reasoningTokens: 50 };
const scriptedCostUsd = "0.00011368";

const weatherTool = {
  type: "function" as const,
  function: {
    name: "get_weather",
    description: "Weather for a city",
    parameters: { type: "object", properties: { city: { type: "string" } }, required: ["city"] },
  },
};

describe("the official openai client against the gateway", () => {
  it("lists catalog models and retrieves one", async () => {
    const fixture = await start();
    const models = await fixture.client().models.list();
    const ids = models.data.map((model) => model.id);
    expect(ids).toContain("deepseek-v4-flash");
    expect(models.data.find((model) => model.id === "deepseek-v4-flash")?.owned_by).toBe("deepseek");
    const one = await fixture.client().models.retrieve("deepseek-v4-pro");
    expect(one).toMatchObject({ id: "deepseek-v4-pro", object: "model" });
  });

  it("answers a plain chat with reasoning, usage in both vocabularies, and a ledger row", async () => {
    const fixture = await start({
      upstream: { script: [{ content: "Hello!", reasoningContent: "A greeting is asked for.", usage: scriptedUsage }] },
    });
    const completion = await fixture.client().chat.completions.create({ model: "deepseek-v4-flash", messages: hello });
    expect(completion.object).toBe("chat.completion");
    expect(completion.model).toBe("deepseek-v4-flash");
    expect(completion.choices[0]?.message.content).toBe("Hello!");
    expect(completion.choices[0]?.finish_reason).toBe("stop");
    expect(completion.choices[0]?.message).toMatchObject({ reasoning_content: "A greeting is asked for." });
    expect(completion.usage).toMatchObject({
      prompt_tokens: 1000,
      completion_tokens: 200,
      total_tokens: 1200,
      prompt_tokens_details: { cached_tokens: 600 },
      completion_tokens_details: { reasoning_tokens: 50 },
      prompt_cache_hit_tokens: 600,
      prompt_cache_miss_tokens: 400,
      cost_usd: scriptedCostUsd,
    });
    const upstreamBody = fixture.upstream.requests[0]?.body as Record<string, unknown>;
    expect(upstreamBody).toMatchObject({ model: "deepseek-v4-flash", stream: false });
    expect(fixture.upstream.requests[0]?.headers.authorization).toBe("Bearer sk-upstream-test");
    const rows = await fixture.store.usageRows();
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({
      model: "deepseek-v4-flash",
      requests: 1,
      costUsd: scriptedCostUsd,
      keyId: undefined,
    });
    expect(rows[0]?.usage).toEqual({
      inputTokens: 1000,
      cacheHitTokens: 600,
      cacheMissTokens: 400,
      cacheWriteTokens: 0,
      outputTokens: 200,
      reasoningTokens: 50,
    });
  });

  it("streams reasoning and content deltas, a finish chunk, then the usage chunk", async () => {
    const fixture = await start({
      upstream: {
        script: [
          { content: "Hello there, friend.", reasoningContent: "Greet them.", usage: scriptedUsage, keepAlives: 2 },
        ],
      },
    });
    const stream = await fixture.client().chat.completions.create({
      model: "deepseek-v4-flash",
      messages: hello,
      stream: true,
      stream_options: { include_usage: true },
    });
    let content = "";
    let reasoning = "";
    const finishReasons: string[] = [];
    let usage: OpenAI.CompletionUsage | undefined | null;
    for await (const chunk of stream) {
      expect(chunk.object).toBe("chat.completion.chunk");
      const choice = chunk.choices[0];
      content += choice?.delta.content ?? "";
      reasoning += (choice?.delta as { reasoning_content?: string } | undefined)?.reasoning_content ?? "";
      if (choice?.finish_reason) finishReasons.push(choice.finish_reason);
      if (chunk.usage) usage = chunk.usage;
    }
    expect(content).toBe("Hello there, friend.");
    expect(reasoning).toBe("Greet them.");
    expect(finishReasons).toEqual(["stop"]);
    expect(usage).toMatchObject({
      prompt_tokens: 1000,
      completion_tokens: 200,
      prompt_tokens_details: { cached_tokens: 600 },
    });
    expect((await fixture.store.usageRows())[0]?.costUsd).toBe(scriptedCostUsd);
  });

  it("streams without a usage chunk when include_usage is not asked, and still bills", async () => {
    const fixture = await start({ upstream: { script: [{ content: "Hi", usage: scriptedUsage }] } });
    const stream = await fixture
      .client()
      .chat.completions.create({ model: "deepseek-v4-flash", messages: hello, stream: true });
    const chunks = [];
    for await (const chunk of stream) chunks.push(chunk);
    expect(chunks.some((chunk) => chunk.usage)).toBe(false);
    expect((await fixture.store.usageRows())[0]?.costUsd).toBe(scriptedCostUsd);
  });

  it("passes tools, tool_choice and response format upstream and returns tool calls (plain and streamed)", async () => {
    const toolCall = { name: "get_weather", arguments: { city: "Hangzhou" } };
    const fixture = await start({
      upstream: { script: [{ toolCalls: [toolCall] }, { toolCalls: [toolCall] }, { content: "Sunny." }] },
    });
    const client = fixture.client();
    const plain = await client.chat.completions.create({
      model: "deepseek-v4-flash",
      messages: [{ role: "user", content: "Weather in Hangzhou?" }],
      tools: [weatherTool],
      tool_choice: { type: "function", function: { name: "get_weather" } },
      max_tokens: 300,
      temperature: 0.2,
      stop: ["END"],
      seed: 7,
    });
    const call = plain.choices[0]?.message.tool_calls?.[0];
    expect(plain.choices[0]?.finish_reason).toBe("tool_calls");
    expect(plain.choices[0]?.message.content).toBeNull();
    expect(call?.type === "function" && call.function).toEqual({
      name: "get_weather",
      arguments: '{"city":"Hangzhou"}',
    });
    expect(fixture.upstream.requests[0]?.body).toMatchObject({
      tools: [{ type: "function", function: { name: "get_weather", parameters: weatherTool.function.parameters } }],
      tool_choice: { type: "function", function: { name: "get_weather" } },
      max_tokens: 300,
      temperature: 0.2,
      stop: ["END"],
      seed: 7,
    });

    const stream = await client.chat.completions.create({
      model: "deepseek-v4-flash",
      messages: [{ role: "user", content: "Weather in Hangzhou?" }],
      tools: [weatherTool],
      stream: true,
    });
    const calls = new Map<number, { id?: string; name: string; arguments: string }>();
    let finishReason: string | null | undefined;
    for await (const chunk of stream) {
      for (const delta of chunk.choices[0]?.delta.tool_calls ?? []) {
        const existing = calls.get(delta.index) ?? { name: "", arguments: "" };
        if (delta.id) existing.id = delta.id;
        existing.name += delta.function?.name ?? "";
        existing.arguments += delta.function?.arguments ?? "";
        calls.set(delta.index, existing);
      }
      finishReason = chunk.choices[0]?.finish_reason ?? finishReason;
    }
    expect(finishReason).toBe("tool_calls");
    expect([...calls.values()]).toEqual([
      { id: expect.stringMatching(/^call_/), name: "get_weather", arguments: '{"city":"Hangzhou"}' },
    ]);

    // The tool result goes back with the assistant turn that asked for it.
    const answer = await client.chat.completions.create({
      model: "deepseek-v4-flash",
      messages: [
        { role: "user", content: "Weather in Hangzhou?" },
        {
          role: "assistant",
          content: null,
          tool_calls: [
            { id: "call_1", type: "function", function: { name: "get_weather", arguments: '{"city":"Hangzhou"}' } },
          ],
        },
        { role: "tool", tool_call_id: "call_1", content: "24 °C, sunny" },
      ],
      response_format: { type: "json_object" },
    });
    expect(answer.choices[0]?.message.content).toBe("Sunny.");
    expect(fixture.upstream.requests[2]?.body).toMatchObject({
      response_format: { type: "json_object" },
      messages: [
        { role: "user", content: "Weather in Hangzhou?" },
        {
          role: "assistant",
          tool_calls: [{ id: "call_1", function: { name: "get_weather", arguments: '{"city":"Hangzhou"}' } }],
        },
        { role: "tool", tool_call_id: "call_1", content: "24 °C, sunny" },
      ],
    });
  });

  it("sends reasoning_content back upstream on a tool-calling assistant turn", async () => {
    const fixture = await start({
      upstream: { script: [{ content: "Done." }], rules: { reasoningContent: "v3.2-requires-on-tool-turns" } },
    });
    await fixture.client().chat.completions.create({
      model: "deepseek-v4-pro",
      messages: [
        { role: "user", content: "Weather?" },
        {
          role: "assistant",
          content: null,
          reasoning_content: "Need the tool.",
          tool_calls: [{ id: "call_1", type: "function", function: { name: "get_weather", arguments: "{}" } }],
        } as OpenAI.ChatCompletionAssistantMessageParam,
        { role: "tool", tool_call_id: "call_1", content: "sunny" },
      ],
    });
    expect(fixture.upstream.requests[0]?.body).toMatchObject({
      messages: [{ role: "user" }, { role: "assistant", reasoning_content: "Need the tool." }, { role: "tool" }],
    });
  });
});

describe("errors, each with its status and OpenAI's error shape", () => {
  it("400 for malformed JSON and for a body that fails the schema, naming the field", async () => {
    const fixture = await start();
    const response = await fetch(`${fixture.server.url}/v1/chat/completions`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: '{"model": "deepseek-v4-flash", "messages": [',
    });
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({
      error: {
        type: "invalid_request_error",
        code: "invalid_json",
        param: null,
        message: expect.stringContaining("not valid JSON"),
      },
    });

    const error = await fixture
      .client()
      .chat.completions.create({ model: "deepseek-v4-flash", messages: hello, temperature: 5 })
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(OpenAI.BadRequestError);
    expect(error).toMatchObject({ status: 400, param: "temperature", code: "invalid_value" });
    expect((error as Error).message).toContain("`temperature`");

    const missing = await fixture
      .client()
      .chat.completions.create({ model: "deepseek-v4-flash", messages: [{ role: "user" } as never] })
      .catch((caught: unknown) => caught);
    expect(missing).toMatchObject({ status: 400, param: "messages[0].content" });
    expect(fixture.upstream.requests).toHaveLength(0);
  });

  it("401 without a key or with an unknown one once keys exist", async () => {
    let key = "";
    const fixture = await start({ prepare: async (store) => (key = (await issueApiKey(store, { name: "app" })).key) });
    const unknown = await fixture
      .client("tsk_not-a-real-key")
      .models.list()
      .catch((caught: unknown) => caught);
    expect(unknown).toBeInstanceOf(OpenAI.AuthenticationError);
    expect(unknown).toMatchObject({ status: 401, code: "invalid_api_key" });
    const response = await fetch(`${fixture.server.url}/v1/models`);
    expect(response.status).toBe(401);
    expect(await response.json()).toMatchObject({ error: { code: "missing_api_key", type: "authentication_error" } });
    const models = await fixture.client(key).models.list();
    expect(models.data.length).toBeGreaterThan(0);
  });

  it("402 before any upstream call once a key has spent its budget; the first request is clamped to fit", async () => {
    let key = "";
    const fixture = await start({
      upstream: { fallback: () => ({ content: "Hello!", usage: scriptedUsage }) },
      prepare: async (store) => (key = (await issueApiKey(store, { name: "small", budgetUsd: "0.0001" })).key),
    });
    const client = fixture.client(key);
    const first = await client.chat.completions.create({ model: "deepseek-v4-flash", messages: hello }).withResponse();
    // 4096 default output tokens at $0.28/M would not fit $0.0001: the allowance is lowered to what does.
    const clamped = Number(first.response.headers.get("x-tansuo-max-tokens"));
    expect(clamped).toBeGreaterThan(64);
    expect(clamped).toBeLessThan(4096);
    expect(fixture.upstream.requests[0]?.body).toMatchObject({ max_tokens: clamped });

    const refused = await client.chat.completions
      .create({ model: "deepseek-v4-flash", messages: hello })
      .catch((caught: unknown) => caught);
    expect(refused).toBeInstanceOf(OpenAI.APIError);
    expect(refused).toMatchObject({ status: 402, code: "budget_exceeded", type: "insufficient_quota" });
    expect((refused as Error).message).toContain(`spent $${scriptedCostUsd} of its $0.0001 budget`);
    expect(fixture.upstream.requests).toHaveLength(1);
  });

  it("404 for an unknown model, saying where to find models", async () => {
    const fixture = await start();
    const error = await fixture
      .client()
      .chat.completions.create({ model: "no-such-model", messages: hello })
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(OpenAI.NotFoundError);
    expect(error).toMatchObject({ status: 404, code: "model_not_found", param: "model" });
    expect((error as Error).message).toContain("GET /v1/models");
    const retrieve = await fixture
      .client()
      .models.retrieve("no-such-model")
      .catch((caught: unknown) => caught);
    expect(retrieve).toMatchObject({ status: 404 });
  });

  it("413 for a body over the limit", async () => {
    const fixture = await start({ gateway: { bodyLimitBytes: 2048 } });
    const error = await fixture
      .client()
      .chat.completions.create({ model: "deepseek-v4-flash", messages: [{ role: "user", content: "x".repeat(4096) }] })
      .catch((caught: unknown) => caught);
    expect(error).toMatchObject({ status: 413, code: "request_too_large" });
    expect(fixture.upstream.requests).toHaveLength(0);
  });

  it("429 with Retry-After when a key is over its requests per minute", async () => {
    let key = "";
    const fixture = await start({
      upstream: { fallback: () => ({ content: "ok" }) },
      prepare: async (store) => (key = (await issueApiKey(store, { requestsPerMinute: 1 })).key),
    });
    const client = fixture.client(key);
    await client.chat.completions.create({ model: "deepseek-v4-flash", messages: hello });
    const error = await client.chat.completions
      .create({ model: "deepseek-v4-flash", messages: hello })
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(OpenAI.RateLimitError);
    expect(error).toMatchObject({ status: 429, code: "rate_limit_exceeded" });
    const retryAfter = Number((error as InstanceType<typeof OpenAI.APIError>).headers?.get("retry-after"));
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(retryAfter).toBeLessThanOrEqual(60);
    expect(fixture.upstream.requests).toHaveLength(1);
  });

  it("429 when a key is over its concurrency, and the slot comes back when the stream ends", async () => {
    let key = "";
    const fixture = await start({
      upstream: { fallback: () => ({ content: "one two three four five six", chunkDelayMs: 30 }) },
      prepare: async (store) => (key = (await issueApiKey(store, { concurrency: 1 })).key),
    });
    const client = fixture.client(key);
    const slow = await client.chat.completions.create({ model: "deepseek-v4-flash", messages: hello, stream: true });
    const error = await client.chat.completions
      .create({ model: "deepseek-v4-flash", messages: hello })
      .catch((caught: unknown) => caught);
    expect(error).toMatchObject({ status: 429, code: "concurrency_limit_exceeded" });
    expect((error as Error).message).toContain("1 requests in flight");
    for await (const _chunk of slow) {
      // drain the first stream
    }
    const after = await client.chat.completions.create({ model: "deepseek-v4-flash", messages: hello });
    expect(after.choices[0]?.message.content).toBe("one two three four five six");
  });

  it("502 with the upstream's message when the upstream fails or rejects the server's own key", async () => {
    const fixture = await start({
      upstream: {
        script: [
          { status: 500, message: "Server error: the inference node fell over" },
          { status: 402, message: "Insufficient Balance" },
        ],
      },
    });
    const client = fixture.client();
    const failed = await client.chat.completions
      .create({ model: "deepseek-v4-flash", messages: hello })
      .catch((caught: unknown) => caught);
    expect(failed).toMatchObject({ status: 502, code: "upstream_error", type: "upstream_error" });
    expect((failed as Error).message).toContain("the inference node fell over");
    const broke = await client.chat.completions
      .create({ model: "deepseek-v4-flash", messages: hello })
      .catch((caught: unknown) => caught);
    expect(broke).toMatchObject({ status: 502 });
    expect((broke as Error).message).toContain("Insufficient Balance");
    expect(await fixture.store.usageRows()).toHaveLength(0);
  });

  it("400 with the upstream's message when the upstream finds the request invalid, 429 when it rate-limits", async () => {
    const fixture = await start({
      upstream: {
        script: [
          { status: 400, message: "Invalid max_tokens value" },
          { status: 429, retryAfterSeconds: 7 },
        ],
      },
    });
    const client = fixture.client();
    const invalid = await client.chat.completions
      .create({ model: "deepseek-v4-flash", messages: hello })
      .catch((caught: unknown) => caught);
    expect(invalid).toMatchObject({ status: 400, code: "upstream_invalid_request" });
    expect((invalid as Error).message).toContain("Invalid max_tokens value");
    const limited = await client.chat.completions
      .create({ model: "deepseek-v4-flash", messages: hello })
      .catch((caught: unknown) => caught);
    expect(limited).toMatchObject({ status: 429, code: "upstream_rate_limited" });
    expect((limited as InstanceType<typeof OpenAI.APIError>).headers?.get("retry-after")).toBe("7");
  });

  it("504 when the upstream does not start answering in time", async () => {
    const fixture = await start({
      upstream: {
        script: [
          { content: "late", delayMs: 2000 },
          { content: "late", delayMs: 2000 },
        ],
      },
      gateway: { upstreamTimeoutMilliseconds: 100 },
    });
    const plain = await fixture
      .client()
      .chat.completions.create({ model: "deepseek-v4-flash", messages: hello })
      .catch((caught: unknown) => caught);
    expect(plain).toMatchObject({ status: 504, code: "upstream_timeout" });
    const streamed = await fixture
      .client()
      .chat.completions.create({ model: "deepseek-v4-flash", messages: hello, stream: true })
      .catch((caught: unknown) => caught);
    expect(streamed).toMatchObject({ status: 504 });
  });

  it("500 in OpenAI's shape when the server itself fails, and the server keeps serving", async () => {
    const fixture = await start({
      gateway: {
        resolveModel: async () => {
          throw new Error("disk on fire");
        },
      },
    });
    const error = await fixture
      .client()
      .chat.completions.create({ model: "deepseek-v4-flash", messages: hello })
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(OpenAI.InternalServerError);
    expect(error).toMatchObject({ status: 500, type: "server_error" });
    expect((error as Error).message).toContain("disk on fire");
    const health = await fetch(`${fixture.server.url}/health`);
    expect(await health.json()).toEqual({ status: "ok" });
  });
});
