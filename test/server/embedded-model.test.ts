import type OpenAI from "openai";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { tinyModelPath } from "../support/tiny-model.ts";
import { type GatewayFixture, startGatewayFixture } from "./support/gateway-fixture.ts";

// The embedded tiny model (random weights, gibberish text) behind the gateway: real llama.cpp loading,
// tokenizing, streaming, grammar-constrained tool calls and token counts, at no cost.
let fixture: GatewayFixture;
beforeAll(async () => {
  fixture = await startGatewayFixture({
    gateway: { extraModels: [tinyModelPath] },
    // One thread: on a busy 2-core machine llama.cpp's spinning threads slow a tiny model down a hundredfold.
    resolveOptions: { embedded: { contextSize: 1024, gpu: false, threads: 1 } },
  });
});
afterAll(async () => {
  await fixture.close();
});

const ask = [{ role: "user" as const, content: "Say hello." }];

describe("the embedded tiny model through the gateway", () => {
  it("is listed and answers a plain chat with token counts and no cost", async () => {
    const ids = (await fixture.client().models.list()).data.map((model) => model.id);
    expect(ids).toContain(tinyModelPath);
    const completion = await fixture
      .client()
      .chat.completions.create({ model: tinyModelPath, messages: ask, max_tokens: 8 });
    expect(typeof completion.choices[0]?.message.content).toBe("string");
    expect(completion.usage?.prompt_tokens).toBeGreaterThan(0);
    expect(completion.usage?.completion_tokens).toBeGreaterThan(0);
    expect(completion.usage?.completion_tokens).toBeLessThanOrEqual(8);
    expect(completion.usage).toMatchObject({ cost_usd: "0" });
    expect((await fixture.store.usageRows()).find((row) => row.model === tinyModelPath)?.usage.outputTokens).toBe(
      completion.usage?.completion_tokens,
    );
    expect(fixture.upstream.requests).toHaveLength(0);
  });

  it("streams content and a usage chunk", async () => {
    const stream = await fixture.client().chat.completions.create({
      model: tinyModelPath,
      messages: ask,
      max_tokens: 8,
      stream: true,
      stream_options: { include_usage: true },
    });
    let usage: OpenAI.CompletionUsage | null | undefined;
    let finishReason: string | null | undefined;
    for await (const chunk of stream) {
      if (chunk.usage) usage = chunk.usage;
      finishReason = chunk.choices[0]?.finish_reason ?? finishReason;
    }
    expect(finishReason).toMatch(/^(stop|length)$/);
    expect(usage?.completion_tokens).toBeGreaterThan(0);
  });

  it("makes a well-formed tool call when one is required", async () => {
    const completion = await fixture.client().chat.completions.create({
      model: tinyModelPath,
      messages: [{ role: "user", content: "Weather in Hangzhou?" }],
      tools: [
        {
          type: "function",
          function: {
            name: "get_weather",
            // Random weights never close an unbounded string: the grammar enforces maxLength.
            parameters: { type: "object", properties: { city: { type: "string", maxLength: 16 } }, required: ["city"] },
          },
        },
      ],
      tool_choice: "required",
      max_tokens: 300,
      temperature: 1,
      seed: 1,
    });
    const call = completion.choices[0]?.message.tool_calls?.[0];
    expect(completion.choices[0]?.finish_reason).toBe("tool_calls");
    expect(call?.type === "function" && call.function.name).toBe("get_weather");
    const input = JSON.parse(call?.type === "function" ? call.function.arguments : "{}");
    expect(typeof input.city).toBe("string");
  });
});
