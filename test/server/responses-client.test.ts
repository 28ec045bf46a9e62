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

// deepseek-v4-flash: 0.0028 (hit) / 0.14 (miss) / 0.28 (output) USD per million tokens.
// 1024 x 0.0028 + 976 x 0.14 + 300 x 0.28 = 2.8672 + 136.64 + 84 = 223.5072 millionths of a dollar.
const scriptedUsage = { promptTokens: 2000, cacheHitTokens: 1024, completionTokens: 300, reasoningTokens: 40 };
const scriptedCostUsd = "0.0002235072";

const weatherTool = {
  type: "function" as const,
  name: "get_weather",
  description: "Weather for a city",
  parameters: { type: "object", properties: { city: { type: "string" } }, required: ["city"] },
  strict: false,
};

type WireMessage = { role: string; content?: string | null; reasoning_content?: string; tool_calls?: unknown[] };
const upstreamMessages = (fixture: GatewayFixture, index: number) =>
  (fixture.upstream.requests[index]!.body as { messages: WireMessage[] }).messages;

describe("the official openai client's Responses API against the gateway", () => {
  it("answers with reasoning and message items, usage with cached tokens, and bills the ledger exactly", async () => {
    const fixture = await start({
      upstream: { script: [{ content: "Hello!", reasoningContent: "A greeting is asked for.", usage: scriptedUsage }] },
    });
    const response = await fixture.client().responses.create({
      model: "deepseek-v4-flash",
      instructions: "Be brief.",
      input: "Say hello.",
      metadata: { ticket: "16" },
    });
    expect(response.id).toMatch(/^resp_/);
    expect(response).toMatchObject({ object: "response", status: "completed", model: "deepseek-v4-flash" });
    expect(response.output_text).toBe("Hello!");
    expect(response.output.map((item) => item.type)).toEqual(["reasoning", "message"]);
    expect(response.output[0]).toMatchObject({
      content: [{ type: "reasoning_text", text: "A greeting is asked for." }],
    });
    expect(response.metadata).toEqual({ ticket: "16" });
    expect(response.usage).toMatchObject({
      input_tokens: 2000,
      input_tokens_details: { cached_tokens: 1024 },
      output_tokens: 300,
      output_tokens_details: { reasoning_tokens: 40 },
      total_tokens: 2300,
      cost_usd: scriptedCostUsd,
    });
    expect(upstreamMessages(fixture, 0)).toEqual([
      { role: "system", content: "Be brief." },
      { role: "user", content: "Say hello." },
    ]);
    const rows = await fixture.store.usageRows();
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ model: "deepseek-v4-flash", requests: 1, costUsd: scriptedCostUsd });
  });

  it("streams the typed event sequence, and responses.stream gives the final response", async () => {
    const fixture = await start({
      upstream: {
        script: [
          { content: "Hello there, friend.", reasoningContent: "Greet them.", usage: scriptedUsage },
          { content: "Again.", usage: scriptedUsage },
        ],
      },
    });
    const client = fixture.client();
    const stream = await client.responses.create({ model: "deepseek-v4-flash", input: "Say hello.", stream: true });
    const types: string[] = [];
    const sequence: number[] = [];
    let text = "";
    let reasoning = "";
    let completed: OpenAI.Responses.Response | undefined;
    for await (const event of stream) {
      types.push(event.type);
      sequence.push(event.sequence_number);
      if (event.type === "response.output_text.delta") text += event.delta;
      if (event.type === "response.reasoning_text.delta") reasoning += event.delta;
      if (event.type === "response.completed") completed = event.response;
    }
    expect(text).toBe("Hello there, friend.");
    expect(reasoning).toBe("Greet them.");
    expect(sequence).toEqual(types.map((_, index) => index));
    const distinct = types.filter((type, index) => type !== types[index - 1]);
    expect(distinct).toEqual([
      "response.created",
      "response.in_progress",
      "response.output_item.added",
      "response.content_part.added",
      "response.reasoning_text.delta",
      "response.reasoning_text.done",
      "response.content_part.done",
      "response.output_item.done",
      "response.output_item.added",
      "response.content_part.added",
      "response.output_text.delta",
      "response.output_text.done",
      "response.content_part.done",
      "response.output_item.done",
      "response.completed",
    ]);
    expect(completed).toMatchObject({ status: "completed", usage: { input_tokens: 2000, cost_usd: scriptedCostUsd } });
    expect(completed?.output.map((item) => item.type)).toEqual(["reasoning", "message"]);

    const helper = client.responses.stream({ model: "deepseek-v4-flash", input: "Again?" });
    const final = await helper.finalResponse();
    expect(final.output_text).toBe("Again.");
    expect(final.usage?.input_tokens_details.cached_tokens).toBe(1024);
    const rows = await fixture.store.usageRows();
    expect(rows[0]).toMatchObject({ requests: 2, costUsd: "0.0004470144" });
  });

  it("completes a multi-turn tool conversation in thinking mode, passing the items back, reasoning replayed", async () => {
    const fixture = await start({
      upstream: {
        // The server refuses a thinking-mode tool turn sent back without its reasoning_content, as DeepSeek does.
        rules: { reasoningContent: "v3.2-requires-on-tool-turns" },
        script: [
          {
            reasoningContent: "I need the weather tool.",
            toolCalls: [{ id: "call_00_w", name: "get_weather", arguments: { city: "Hangzhou" } }],
            usage: scriptedUsage,
          },
          { content: "Sunny, 21°C in Hangzhou.", usage: scriptedUsage },
        ],
      },
    });
    const client = fixture.client();
    const input: OpenAI.Responses.ResponseInput = [{ role: "user", content: "Weather in Hangzhou?" }];
    const first = await client.responses.create({
      model: "deepseek-v4-flash",
      input,
      tools: [weatherTool],
      reasoning: { effort: "high" },
      store: false,
    });
    const call = first.output.find((item) => item.type === "function_call");
    expect(call).toMatchObject({
      type: "function_call",
      call_id: "call_00_w",
      name: "get_weather",
      arguments: '{"city":"Hangzhou"}',
      status: "completed",
    });
    expect(call?.id).toMatch(/^fc_/);
    expect(first.output[0]?.type).toBe("reasoning");
    expect(fixture.upstream.requests[0]?.body).toMatchObject({
      thinking: { type: "enabled" },
      tools: [{ type: "function", function: { name: "get_weather" } }],
    });

    const second = await client.responses.create({
      model: "deepseek-v4-flash",
      input: [
        ...input,
        ...(first.output as OpenAI.Responses.ResponseInputItem[]),
        { type: "function_call_output", call_id: "call_00_w", output: "sunny, 21" },
      ],
      tools: [weatherTool],
      reasoning: { effort: "high" },
    });
    expect(second.output_text).toBe("Sunny, 21°C in Hangzhou.");
    expect(fixture.upstream.requests[1]?.status).toBe(200);
    const replayed = upstreamMessages(fixture, 1);
    expect(replayed.map((message) => message.role)).toEqual(["user", "assistant", "tool"]);
    expect(replayed[1]).toMatchObject({
      reasoning_content: "I need the weather tool.",
      tool_calls: [{ id: "call_00_w", type: "function", function: { name: "get_weather" } }],
    });
    expect(replayed[2]).toMatchObject({ role: "tool", tool_call_id: "call_00_w", content: "sunny, 21" });
  });

  it("continues by previous_response_id, streamed, with the stored reasoning and call replayed", async () => {
    const fixture = await start({
      upstream: {
        rules: { reasoningContent: "v3.2-requires-on-tool-turns" },
        script: [
          {
            reasoningContent: "Look it up.",
            toolCalls: [{ id: "call_00_x", name: "get_weather", arguments: { city: "Beijing" } }],
          },
          { content: "Windy in Beijing." },
          { content: "You are welcome." },
        ],
      },
    });
    const client = fixture.client();
    const first = client.responses.stream({
      model: "deepseek-v4-flash",
      input: "Weather in Beijing?",
      tools: [weatherTool],
    });
    const argumentDeltas: string[] = [];
    first.on("response.function_call_arguments.delta", (event) => argumentDeltas.push(event.delta));
    const firstResponse = await first.finalResponse();
    expect(argumentDeltas.join("")).toBe('{"city":"Beijing"}');
    const call = firstResponse.output.find((item) => item.type === "function_call");
    expect(call).toMatchObject({ call_id: "call_00_x", arguments: '{"city":"Beijing"}' });

    const second = await client.responses.create({
      model: "deepseek-v4-flash",
      previous_response_id: firstResponse.id,
      input: [{ type: "function_call_output", call_id: "call_00_x", output: "windy" }],
      tools: [weatherTool],
      stream: true,
    });
    let text = "";
    let secondId = "";
    for await (const event of second) {
      if (event.type === "response.output_text.delta") text += event.delta;
      if (event.type === "response.completed") secondId = event.response.id;
    }
    expect(text).toBe("Windy in Beijing.");
    expect(upstreamMessages(fixture, 1)).toMatchObject([
      { role: "user", content: "Weather in Beijing?" },
      { role: "assistant", reasoning_content: "Look it up.", tool_calls: [{ id: "call_00_x" }] },
      { role: "tool", tool_call_id: "call_00_x", content: "windy" },
    ]);

    // The chain is two deep now: the third turn gets every earlier item back.
    const third = await client.responses.create({
      model: "deepseek-v4-flash",
      previous_response_id: secondId,
      input: "Thanks!",
    });
    expect(third.previous_response_id).toBe(secondId);
    expect(upstreamMessages(fixture, 2).map((message) => message.role)).toEqual([
      "user",
      "assistant",
      "tool",
      "assistant",
      "user",
    ]);
    expect(upstreamMessages(fixture, 2)[3]).toMatchObject({ content: "Windy in Beijing." });
  });

  it("shows a stored response only to the key that made it, and keeps nothing with store: false", async () => {
    let owner = "";
    let other = "";
    const fixture = await start({
      upstream: { fallback: () => ({ content: "Noted." }) },
      prepare: async (store) => {
        owner = (await issueApiKey(store, { name: "owner" })).key;
        other = (await issueApiKey(store, { name: "other" })).key;
      },
    });
    const kept = await fixture.client(owner).responses.create({ model: "deepseek-v4-flash", input: "Remember 7." });
    const refused = await fixture
      .client(other)
      .responses.create({ model: "deepseek-v4-flash", input: "What was it?", previous_response_id: kept.id })
      .catch((caught: unknown) => caught);
    expect(refused).toBeInstanceOf(OpenAI.NotFoundError);
    expect(refused).toMatchObject({ status: 404, code: "previous_response_not_found", param: "previous_response_id" });
    expect(fixture.upstream.requests).toHaveLength(1);

    const unkept = await fixture
      .client(owner)
      .responses.create({ model: "deepseek-v4-flash", input: "Forget this.", store: false });
    expect(await fixture.store.getResponse(unkept.id)).toBeUndefined();
    expect(await fixture.store.getResponse(kept.id)).toMatchObject({ model: "deepseek-v4-flash" });
    const missing = await fixture
      .client(owner)
      .responses.create({ model: "deepseek-v4-flash", input: "And?", previous_response_id: unkept.id })
      .catch((caught: unknown) => caught);
    expect(missing).toMatchObject({ status: 404, code: "previous_response_not_found" });
  });

  it("402 in OpenAI's shape once a key has spent its budget, before any upstream call", async () => {
    let key = "";
    const fixture = await start({
      upstream: { fallback: () => ({ content: "Hello!", usage: scriptedUsage }) },
      prepare: async (store) => (key = (await issueApiKey(store, { name: "small", budgetUsd: "0.0002" })).key),
    });
    const client = fixture.client(key);
    await client.responses.create({ model: "deepseek-v4-flash", input: "Hi." });
    const refused = await client.responses
      .create({ model: "deepseek-v4-flash", input: "Hi again." })
      .catch((caught: unknown) => caught);
    expect(refused).toBeInstanceOf(OpenAI.APIError);
    expect(refused).toMatchObject({ status: 402, code: "budget_exceeded", type: "insufficient_quota" });
    expect((refused as Error).message).toContain(`spent $${scriptedCostUsd} of its $0.0002 budget`);
    expect(fixture.upstream.requests).toHaveLength(1);
  });

  it("400 naming the field for a bad request, and for an output naming no call", async () => {
    const fixture = await start();
    const client = fixture.client();
    const badTemperature = await client.responses
      .create({ model: "deepseek-v4-flash", input: "Hi.", temperature: 7 })
      .catch((caught: unknown) => caught);
    expect(badTemperature).toMatchObject({ status: 400, param: "temperature", type: "invalid_request_error" });
    const orphan = await client.responses
      .create({
        model: "deepseek-v4-flash",
        input: [{ type: "function_call_output", call_id: "call_nowhere", output: "x" }],
      })
      .catch((caught: unknown) => caught);
    expect(orphan).toMatchObject({ status: 400, param: "input[0].call_id" });
    expect((orphan as Error).message).toContain("call_nowhere");
    expect(fixture.upstream.requests).toHaveLength(0);
  });

  it("ends a stream the upstream cut off with response.failed and an error", async () => {
    const fixture = await start({
      upstream: { script: [{ content: "A long answer that breaks off", destroyAfterChunks: 3 }] },
    });
    const stream = await fixture
      .client()
      .responses.create({ model: "deepseek-v4-flash", input: "Talk.", stream: true });
    const events: OpenAI.Responses.ResponseStreamEvent[] = [];
    for await (const event of stream) events.push(event);
    expect(events.map((event) => event.type).slice(-2)).toEqual(["response.failed", "error"]);
    const failed = events.at(-2) as OpenAI.Responses.ResponseFailedEvent;
    expect(failed.response).toMatchObject({ status: "failed", error: { message: expect.any(String) } });
    expect(events.at(-1)).toMatchObject({ type: "error", message: failed.response.error?.message });
    expect(events.some((event) => event.type === "response.completed")).toBe(false);
    expect(await fixture.store.usageRows()).toHaveLength(1);
  });
});
