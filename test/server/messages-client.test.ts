import type Anthropic from "@anthropic-ai/sdk";
import { afterEach, describe, expect, it } from "vitest";
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

// deepseek-v4-flash: 0.0028 (hit) / 0.14 (miss) / 0.28 (output) USD per million tokens:
// 600 x 0.0028 + 400 x 0.14 + 200 x 0.28 = 113.68 millionths.
const flashUsage = { promptTokens: 1000, cacheHitTokens: 600, completionTokens: 200, reasoningTokens: 50 };
const flashCostUsd = "0.00011368";

const weatherTool = {
  name: "get_weather",
  description: "Weather for a city",
  input_schema: { type: "object" as const, properties: { city: { type: "string" } }, required: ["city"] },
};

type Body = Record<string, unknown> & { messages: Record<string, unknown>[] };

describe("the official Anthropic SDK against the gateway's Messages API", () => {
  it("messages.create: thinking, text, Anthropic usage (cache reads apart) and an exact ledger row", async () => {
    const fixture = await start({
      upstream: { script: [{ content: "Hello!", reasoningContent: "A greeting is asked for.", usage: flashUsage }] },
    });
    // temperature is gone from the SDK's types (newer Claude models refuse it) but older clients send it.
    const params = {
      model: "deepseek-v4-flash",
      max_tokens: 1000,
      system: [{ type: "text", text: "Be brief.", cache_control: { type: "ephemeral" } }],
      messages: [{ role: "user", content: "Say hello." }],
      stop_sequences: ["END"],
      temperature: 0.2,
      metadata: { user_id: "someone" },
    } as Anthropic.MessageCreateParamsNonStreaming;
    const message = await anthropicClient(fixture).messages.create(params);
    expect(message).toMatchObject({
      id: expect.stringMatching(/^msg_/),
      type: "message",
      role: "assistant",
      model: "deepseek-v4-flash",
      stop_reason: "end_turn",
      stop_sequence: null,
      content: [
        { type: "thinking", thinking: "A greeting is asked for.", signature: expect.stringMatching(/^tansuo-sha256:/) },
        { type: "text", text: "Hello!" },
      ],
      usage: { input_tokens: 400, cache_read_input_tokens: 600, cache_creation_input_tokens: 0, output_tokens: 200 },
    });
    expect(fixture.upstream.requests[0]?.body).toMatchObject({
      model: "deepseek-v4-flash",
      max_tokens: 1000,
      stop: ["END"],
      temperature: 0.2,
      messages: [
        { role: "system", content: "Be brief." },
        { role: "user", content: "Say hello." },
      ],
    });
    const rows = await fixture.store.usageRows();
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ model: "deepseek-v4-flash", requests: 1, costUsd: flashCostUsd });
    expect(rows[0]?.usage).toMatchObject({ inputTokens: 1000, cacheHitTokens: 600, outputTokens: 200 });
  });

  it("messages.stream: text events, a signed thinking block, finalMessage with the billed usage", async () => {
    const fixture = await start({
      upstream: {
        script: [
          { content: "Hello there, friend.", reasoningContent: "Greet them.", usage: flashUsage, keepAlives: 1 },
        ],
      },
    });
    const stream = anthropicClient(fixture).messages.stream({
      model: "deepseek-v4-flash",
      max_tokens: 500,
      messages: [{ role: "user", content: "Say hello." }],
    });
    let text = "";
    let thinking = "";
    stream.on("text", (delta) => {
      text += delta;
    });
    stream.on("thinking", (delta) => {
      thinking += delta;
    });
    const final = await stream.finalMessage();
    expect(text).toBe("Hello there, friend.");
    expect(thinking).toBe("Greet them.");
    expect(final.content).toEqual([
      { type: "thinking", thinking: "Greet them.", signature: expect.stringMatching(/^tansuo-sha256:/) },
      { type: "text", text: "Hello there, friend." },
    ]);
    expect(final.stop_reason).toBe("end_turn");
    expect(final.usage).toMatchObject({ input_tokens: 400, cache_read_input_tokens: 600, output_tokens: 200 });
    expect((await fixture.store.usageRows())[0]?.costUsd).toBe(flashCostUsd);
  });

  it("a multi-turn tool conversation with thinking on, streamed and not: reasoning replayed, ids kept, billed exactly", async () => {
    // deepseek-v4-pro: 0.003625 (hit) / 0.435 (miss) / 0.87 (output) USD per million tokens.
    const turns = [
      { promptTokens: 1000, cacheHitTokens: 0, completionTokens: 100, reasoningTokens: 40 }, // 435 + 87 = 522
      { promptTokens: 2000, cacheHitTokens: 1000, completionTokens: 100, reasoningTokens: 30 }, // 3.625 + 435 + 87
      { promptTokens: 3000, cacheHitTokens: 2000, completionTokens: 50, reasoningTokens: 10 }, // 7.25 + 435 + 43.5
    ];
    const totalCostUsd = "0.001533375";
    const fixture = await start({
      upstream: {
        rules: { reasoningContent: "v3.2-requires-on-tool-turns" },
        script: [
          {
            reasoningContent: "I need Hangzhou's weather.",
            toolCalls: [{ id: "call_hz", name: "get_weather", arguments: { city: "Hangzhou" } }],
            usage: turns[0],
          },
          {
            reasoningContent: "Now Beijing.",
            content: "Checking Beijing too.",
            toolCalls: [{ id: "call_bj", name: "get_weather", arguments: { city: "Beijing" } }],
            usage: turns[1],
          },
          { reasoningContent: "Both known.", content: "Hangzhou is sunny, Beijing is windy.", usage: turns[2] },
        ],
      },
    });
    const client = anthropicClient(fixture);
    const request = {
      model: "deepseek-v4-pro",
      max_tokens: 4000,
      thinking: { type: "enabled" as const, budget_tokens: 2000 },
      tools: [weatherTool],
    };
    const messages: Anthropic.MessageParam[] = [{ role: "user", content: "Weather in Hangzhou and Beijing?" }];

    const first = await client.messages.create({ ...request, messages });
    expect(first.stop_reason).toBe("tool_use");
    expect(first.content).toEqual([
      { type: "thinking", thinking: "I need Hangzhou's weather.", signature: expect.any(String) },
      { type: "tool_use", id: "call_hz", name: "get_weather", input: { city: "Hangzhou" } },
    ]);
    messages.push({ role: "assistant", content: first.content as Anthropic.ContentBlockParam[] });
    messages.push({
      role: "user",
      content: [{ type: "tool_result", tool_use_id: "call_hz", content: "24 °C, sunny" }],
    });

    const second = await client.messages.stream({ ...request, messages }).finalMessage();
    expect(second.stop_reason).toBe("tool_use");
    expect(second.content).toEqual([
      { type: "thinking", thinking: "Now Beijing.", signature: expect.any(String) },
      { type: "text", text: "Checking Beijing too." },
      { type: "tool_use", id: "call_bj", name: "get_weather", input: { city: "Beijing" } },
    ]);
    messages.push({ role: "assistant", content: second.content as Anthropic.ContentBlockParam[] });
    messages.push({
      role: "user",
      content: [
        { type: "tool_result", tool_use_id: "call_bj", content: [{ type: "text", text: "12 °C, windy" }] },
        { type: "text", text: "Summarise." },
      ],
    });

    const third = await client.messages.create({ ...request, messages });
    expect(third.content).toEqual([
      { type: "thinking", thinking: "Both known.", signature: expect.any(String) },
      { type: "text", text: "Hangzhou is sunny, Beijing is windy." },
    ]);
    expect(third.stop_reason).toBe("end_turn");

    // The upstream (which enforces DeepSeek's replay rule) got the reasoning of each tool-calling turn back.
    const last = fixture.upstream.requests[2]?.body as Body;
    expect(fixture.upstream.requests.map((recorded) => recorded.status)).toEqual([200, 200, 200]);
    expect(last.thinking).toEqual({ type: "enabled" });
    expect(last.messages).toMatchObject([
      { role: "user", content: "Weather in Hangzhou and Beijing?" },
      {
        role: "assistant",
        reasoning_content: "I need Hangzhou's weather.",
        tool_calls: [{ id: "call_hz", function: { name: "get_weather", arguments: '{"city":"Hangzhou"}' } }],
      },
      { role: "tool", tool_call_id: "call_hz", content: "24 °C, sunny" },
      {
        role: "assistant",
        content: "Checking Beijing too.",
        reasoning_content: "Now Beijing.",
        tool_calls: [{ id: "call_bj", function: { name: "get_weather", arguments: '{"city":"Beijing"}' } }],
      },
      { role: "tool", tool_call_id: "call_bj", content: "12 °C, windy" },
      { role: "user", content: "Summarise." },
    ]);
    expect(last.tools).toMatchObject([{ type: "function", function: { name: "get_weather" } }]);

    const rows = await fixture.store.usageRows();
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ model: "deepseek-v4-pro", requests: 3, costUsd: totalCostUsd });
  });

  it("passes tool_choice and thinking off upstream", async () => {
    const fixture = await start({
      upstream: { script: [{ toolCalls: [{ id: "call_1", name: "get_weather", arguments: { city: "Xi'an" } }] }] },
    });
    const message = await anthropicClient(fixture).messages.create({
      model: "deepseek-v4-flash",
      max_tokens: 300,
      thinking: { type: "disabled" },
      tools: [weatherTool],
      tool_choice: { type: "tool", name: "get_weather" },
      messages: [{ role: "user", content: "Weather in Xi'an?" }],
    });
    expect(message.content).toEqual([
      { type: "tool_use", id: "call_1", name: "get_weather", input: { city: "Xi'an" } },
    ]);
    expect(fixture.upstream.requests[0]?.body).toMatchObject({
      thinking: { type: "disabled" },
      tool_choice: { type: "function", function: { name: "get_weather" } },
    });
  });

  it("messages.countTokens answers for the same body, sends nothing upstream and bills nothing", async () => {
    const fixture = await start();
    const client = anthropicClient(fixture);
    const short = await client.messages.countTokens({
      model: "deepseek-v4-flash",
      messages: [{ role: "user", content: "Hi." }],
    });
    const long = await client.messages.countTokens({
      model: "deepseek-v4-flash",
      system: "You answer questions about the weather in Chinese cities.",
      tools: [weatherTool],
      messages: [{ role: "user", content: "What is the weather like in Hangzhou this week, day by day?" }],
    });
    expect(short.input_tokens).toBeGreaterThan(0);
    expect(Number.isInteger(long.input_tokens)).toBe(true);
    expect(long.input_tokens).toBeGreaterThan(short.input_tokens);
    expect(fixture.upstream.requests).toHaveLength(0);
    expect(await fixture.store.usageRows()).toHaveLength(0);
  });
});
