import { createOpenAICompatible } from "@ai-sdk/openai-compatible";
import { generateText, stepCountIs, streamText, tool } from "ai";
import { afterEach, describe, expect, it } from "vitest";
import { z } from "zod";
import { type GatewayFixture, startGatewayFixture } from "./support/gateway-fixture.ts";

let fixture: GatewayFixture | undefined;
afterEach(async () => {
  await fixture?.close();
  fixture = undefined;
});

const weather = tool({
  description: "Weather for a city",
  inputSchema: z.object({ city: z.string() }),
  execute: async ({ city }) => ({ city, celsius: 24, sky: "sunny" }),
});

describe("the AI SDK's openai-compatible provider against the gateway", () => {
  it("runs generateText with a tool: the call, the tool result sent back, the final answer, the usage", async () => {
    fixture = await startGatewayFixture({
      upstream: {
        script: [
          {
            toolCalls: [{ name: "get_weather", arguments: { city: "Hangzhou" } }],
            usage: { promptTokens: 80, completionTokens: 12 },
          },
          {
            content: "It is sunny and 24 °C in Hangzhou.",
            usage: { promptTokens: 120, cacheHitTokens: 64, completionTokens: 10 },
          },
        ],
      },
    });
    const provider = createOpenAICompatible({
      name: "tansuo",
      baseURL: `${fixture.server.url}/v1`,
      apiKey: "local",
      includeUsage: true,
    });
    const result = await generateText({
      model: provider.chatModel("deepseek-v4-flash"),
      tools: { get_weather: weather },
      stopWhen: stepCountIs(3),
      prompt: "What is the weather in Hangzhou?",
    });
    expect(result.text).toBe("It is sunny and 24 °C in Hangzhou.");
    expect(result.steps).toHaveLength(2);
    expect(result.steps[0]?.toolCalls[0]).toMatchObject({ toolName: "get_weather", input: { city: "Hangzhou" } });
    expect(result.totalUsage).toMatchObject({ inputTokens: 200, outputTokens: 22 });

    const second = fixture.upstream.requests[1]?.body as { messages: Record<string, unknown>[]; tools: unknown[] };
    expect(second.tools).toHaveLength(1);
    expect(second.messages.at(-1)).toMatchObject({ role: "tool", content: expect.stringContaining("sunny") });
    expect((await fixture.store.usageRows())[0]).toMatchObject({ model: "deepseek-v4-flash", requests: 2 });
  });

  it("streams text with streamText and reports usage", async () => {
    fixture = await startGatewayFixture({
      upstream: { script: [{ content: "Streaming works fine.", usage: { promptTokens: 30, completionTokens: 5 } }] },
    });
    const provider = createOpenAICompatible({
      name: "tansuo",
      baseURL: `${fixture.server.url}/v1`,
      apiKey: "local",
      includeUsage: true,
    });
    const result = streamText({ model: provider.chatModel("deepseek-v4-flash"), prompt: "Say something." });
    let text = "";
    for await (const delta of result.textStream) text += delta;
    expect(text).toBe("Streaming works fine.");
    expect(await result.usage).toMatchObject({ inputTokens: 30, outputTokens: 5 });
  });
});
