import type { LanguageModelV3CallOptions, LanguageModelV3StreamPart } from "@ai-sdk/provider";
import { afterEach, describe, expect, it } from "vitest";
import { Catalog } from "../../src/models/catalog.ts";
import { MissingApiKeyError } from "../../src/models/model-errors.ts";
import { ProviderResponseError } from "../../src/models/openai-chat/provider-errors.ts";
import { resolveModel } from "../../src/models/resolve-model.ts";
import type { RetryPolicy } from "../../src/models/retry-policy.ts";
import {
  type DeepSeekServer,
  type DeepSeekServerOptions,
  startDeepSeekServer,
} from "../support/deepseek-server/index.ts";

const apiKey = "sk-test-0123456789abcdef";
const servers: DeepSeekServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => server.close()));
});

async function serve(options: DeepSeekServerOptions) {
  const server = await startDeepSeekServer({ apiKey, ...options });
  servers.push(server);
  return server;
}

const fastRetries = (retries: { attempt: number; delayMilliseconds: number }[] = []): RetryPolicy => ({
  maxRetries: 3,
  initialDelayMilliseconds: 5,
  maxDelayMilliseconds: 50,
  onRetry: (event) => retries.push(event),
});

async function model(server: DeepSeekServer, id = "deepseek-chat", retryPolicy = fastRetries()) {
  return resolveModel(id, {
    catalog: Catalog.builtIn(),
    env: { DEEPSEEK_API_KEY: apiKey },
    modelsDirectory: "/nonexistent",
    baseUrl: server.url,
    retryPolicy,
  });
}

const ask = (text: string, extra: Partial<LanguageModelV3CallOptions> = {}): LanguageModelV3CallOptions => ({
  prompt: [{ role: "user", content: [{ type: "text", text }] }],
  ...extra,
});

async function collect(stream: ReadableStream<LanguageModelV3StreamPart>) {
  const parts: LanguageModelV3StreamPart[] = [];
  for await (const part of stream as unknown as AsyncIterable<LanguageModelV3StreamPart>) parts.push(part);
  return parts;
}

const weatherTool = {
  type: "function" as const,
  name: "get_weather",
  description: "Weather for a city",
  inputSchema: { type: "object", properties: { city: { type: "string" } }, required: ["city"] },
};

describe("DeepSeek wire format through our provider", () => {
  it("reads a non-streaming answer after blank keep-alive lines, with reasoning and cache-split usage", async () => {
    const server = await serve({
      script: [
        {
          keepAlives: 3,
          reasoningContent: "Think first.",
          content: "Hello!",
          usage: { promptTokens: 1500, cacheHitTokens: 1280, completionTokens: 900, reasoningTokens: 700 },
        },
      ],
    });
    const resolved = await model(server, "deepseek-reasoner");
    const result = await resolved.model.doGenerate(ask("hi"));
    expect(result.content).toEqual([
      { type: "reasoning", text: "Think first." },
      { type: "text", text: "Hello!" },
    ]);
    expect(resolved.usageOf(result.usage)).toEqual({
      inputTokens: 1500,
      cacheHitTokens: 1280,
      cacheMissTokens: 220,
      cacheWriteTokens: 0,
      outputTokens: 900,
      reasoningTokens: 700,
    });
    expect(server.requests[0]?.headers.authorization).toBe(`Bearer ${apiKey}`);
    expect(server.remainingScript()).toEqual([]);
  });

  it("streams reasoning, text and tool calls past SSE keep-alive comments", async () => {
    const server = await serve({
      script: [
        {
          keepAlives: 2,
          reasoningContent: "Need the weather tool.",
          content: "Let me check.",
          toolCalls: [{ id: "call_1", name: "get_weather", arguments: { city: "Hangzhou" } }],
          usage: { promptTokens: 300, cacheHitTokens: 256, completionTokens: 40, reasoningTokens: 10 },
        },
      ],
    });
    const resolved = await model(server);
    const { stream } = await resolved.model.doStream(
      ask("weather?", { tools: [weatherTool], toolChoice: { type: "auto" } }),
    );
    const parts = await collect(stream);
    const reasoning = parts.flatMap((part) => (part.type === "reasoning-delta" ? [part.delta] : [])).join("");
    const text = parts.flatMap((part) => (part.type === "text-delta" ? [part.delta] : [])).join("");
    expect(reasoning).toBe("Need the weather tool.");
    expect(text).toBe("Let me check.");
    expect(parts.find((part) => part.type === "tool-call")).toMatchObject({
      toolCallId: "call_1",
      toolName: "get_weather",
      input: JSON.stringify({ city: "Hangzhou" }),
    });
    const finish = parts.find((part) => part.type === "finish");
    expect(finish).toMatchObject({ finishReason: { unified: "tool-calls", raw: "tool_calls" } });
    expect(finish?.type === "finish" && resolved.usageOf(finish.usage)).toMatchObject({
      cacheHitTokens: 256,
      cacheMissTokens: 44,
    });
    const body = server.requests[0]?.body as Record<string, unknown>;
    expect(body.stream_options).toEqual({ include_usage: true });
    expect(body.tools).toEqual([
      {
        type: "function",
        function: { name: "get_weather", description: "Weather for a city", parameters: weatherTool.inputSchema },
      },
    ]);
  });

  it("maps insufficient_system_resource to an error finish the caller can act on", async () => {
    const server = await serve({ script: [{ content: "partial", finishReason: "insufficient_system_resource" }] });
    const result = await (await model(server)).model.doGenerate(ask("hi"));
    expect(result.finishReason).toEqual({ unified: "error", raw: "insufficient_system_resource" });
  });

  it("retries 429 honouring Retry-After, then 500 and 503, and succeeds", async () => {
    const server = await serve({
      script: [
        { status: 429, retryAfterSeconds: 0.02 as unknown as number },
        { status: 500 },
        { status: 503 },
        { content: "finally" },
      ],
    });
    const retries: { attempt: number; delayMilliseconds: number }[] = [];
    const resolved = await model(server, "deepseek-chat", fastRetries(retries));
    const result = await resolved.model.doGenerate(ask("hi"));
    expect(result.content).toEqual([{ type: "text", text: "finally" }]);
    expect(retries.map((retry) => retry.attempt)).toEqual([1, 2, 3]);
    expect(retries[0]?.delayMilliseconds).toBeGreaterThanOrEqual(20);
    expect(server.requests).toHaveLength(4);
  });

  for (const status of [400, 401, 402, 422] as const) {
    it(`fails at once on ${status} with the provider's message and no key in it`, async () => {
      const server = await serve({ script: [{ status, message: `provider says ${status} for key ${apiKey}` }] });
      const resolved = await model(server);
      const error = await resolved.model.doGenerate(ask("hi")).then(
        () => undefined,
        (caught: unknown) => caught,
      );
      expect(error).toBeInstanceOf(ProviderResponseError);
      expect((error as ProviderResponseError).statusCode).toBe(status);
      expect((error as Error).message).toContain(`provider says ${status}`);
      expect((error as Error).message).not.toContain(apiKey);
      expect(server.requests).toHaveLength(1);
    });
  }

  it("names the missing key when none is set for the official endpoint", async () => {
    await expect(
      resolveModel("deepseek-chat", { catalog: Catalog.builtIn(), env: {}, modelsDirectory: "/nonexistent" }),
    ).rejects.toThrow(MissingApiKeyError);
    await expect(
      resolveModel("deepseek-chat", { catalog: Catalog.builtIn(), env: {}, modelsDirectory: "/nonexistent" }),
    ).rejects.toThrow(/DEEPSEEK_API_KEY/);
  });
});

describe("reasoning_content replay rules, against a server that answers 400 as DeepSeek does", () => {
  const toolTurn: LanguageModelV3CallOptions["prompt"] = [
    { role: "user", content: [{ type: "text", text: "weather in Hangzhou?" }] },
    {
      role: "assistant",
      content: [
        { type: "reasoning", text: "I will call the tool." },
        { type: "tool-call", toolCallId: "call_1", toolName: "get_weather", input: { city: "Hangzhou" } },
      ],
    },
    {
      role: "tool",
      content: [
        {
          type: "tool-result",
          toolCallId: "call_1",
          toolName: "get_weather",
          output: { type: "text", value: "sunny" },
        },
      ],
    },
    {
      role: "assistant",
      content: [
        { type: "reasoning", text: "Done." },
        { type: "text", text: "Sunny." },
      ],
    },
    { role: "user", content: [{ type: "text", text: "and tomorrow?" }] },
  ];

  it("V3.2+ (deepseek-reasoner): sends reasoning back on every tool-call turn, even after a later user turn", async () => {
    const server = await serve({
      rules: { reasoningContent: "v3.2-requires-on-tool-turns" },
      script: [{ content: "Rain." }],
    });
    const result = await (await model(server, "deepseek-reasoner")).model.doGenerate({
      prompt: toolTurn,
      tools: [weatherTool],
    });
    expect(result.content).toEqual([{ type: "text", text: "Rain." }]);
    const messages = (server.requests[0]!.body as { messages: Record<string, unknown>[] }).messages;
    expect(messages[1]).toMatchObject({ role: "assistant", reasoning_content: "I will call the tool." });
    expect(messages[3]).not.toHaveProperty("reasoning_content");
  });

  it("legacy R1 (deepseek-r1): strips reasoning everywhere", async () => {
    const server = await serve({ rules: { reasoningContent: "legacy-r1-rejects" }, script: [{ content: "Rain." }] });
    const result = await (await model(server, "deepseek-r1")).model.doGenerate({ prompt: toolTurn });
    expect(result.content).toEqual([{ type: "text", text: "Rain." }]);
    const messages = (server.requests[0]!.body as { messages: Record<string, unknown>[] }).messages;
    expect(messages.some((message) => "reasoning_content" in message)).toBe(false);
  });

  it("the wrong policy is caught by the server: R1 rules reject what V3.2 needs, and V3.2 rejects stripped turns", async () => {
    const legacyServer = await serve({ rules: { reasoningContent: "legacy-r1-rejects" } });
    await expect(
      (await model(legacyServer, "deepseek-reasoner")).model.doGenerate({ prompt: toolTurn }),
    ).rejects.toThrow(/400.*reasoning_content/);
    const modernServer = await serve({ rules: { reasoningContent: "v3.2-requires-on-tool-turns" } });
    await expect((await model(modernServer, "deepseek-r1")).model.doGenerate({ prompt: toolTurn })).rejects.toThrow(
      /Missing `reasoning_content` field in the assistant message at message index 1/,
    );
  });
});
