import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import type { LanguageModelV3CallOptions, LanguageModelV3StreamPart } from "@ai-sdk/provider";
import { afterEach, describe, expect, it, vi } from "vitest";
import { Catalog } from "../../src/models/catalog.ts";
import { MissingApiKeyError } from "../../src/models/model-errors.ts";
import { createNodeHttpTransport } from "../../src/models/openai-chat/node-http-transport.ts";
import { OpenAiChatLanguageModel } from "../../src/models/openai-chat/openai-chat-language-model.ts";
import { ProviderConnectionError, ProviderResponseError } from "../../src/models/openai-chat/provider-errors.ts";
import { readAnswerText } from "../../src/models/openai-chat/upstream-answer.ts";
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

const noRetries: RetryPolicy = { maxRetries: 0, initialDelayMilliseconds: 0, maxDelayMilliseconds: 0 };
const words = Array.from({ length: 40 }, (_, index) => `word${index}`).join(" ");
const textOf = (parts: LanguageModelV3StreamPart[]) =>
  parts.flatMap((part) => (part.type === "text-delta" ? [part.delta] : [])).join("");

/**
 * A plain node:http server that answers every request with a whole SSE answer and ends the response a little
 * later (as a real server's last write can lag), counting its connections.
 */
async function countingServer(): Promise<{ url: string; connections: () => number; close: () => Promise<void> }> {
  const frames = ["Hello", " there"].map(
    (content) => `data: ${JSON.stringify({ id: "c", model: "m", choices: [{ index: 0, delta: { content } }] })}\n\n`,
  );
  const body = `${frames.join("")}data: ${JSON.stringify({ id: "c", choices: [{ index: 0, delta: {}, finish_reason: "stop" }] })}\n\ndata: [DONE]\n\n`;
  let connections = 0;
  const server = createServer((request, response) => {
    request.resume();
    request.on("end", () => {
      response.writeHead(200, { "content-type": "text/event-stream" });
      response.write(body);
      setTimeout(() => response.end(), 20);
    });
  });
  server.on("connection", () => connections++);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    connections: () => connections,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

// The default transport is node:http for http: and https: base URLs; https needs a certificate this suite cannot
// make, so only http is exercised here.
describe("the default node:http transport", () => {
  it("closes the upstream connection when the caller aborts mid-stream, and ends the stream with the reason", async () => {
    const server = await serve({ script: [{ content: words, chunkDelayMs: 30 }] });
    const abort = new AbortController();
    const { stream } = await (await model(server, "deepseek-chat", noRetries)).model.doStream(
      ask("count", { abortSignal: abort.signal }),
    );
    const reader = stream.getReader();
    const parts: LanguageModelV3StreamPart[] = [];
    while (parts.filter((part) => part.type === "text-delta").length < 2) parts.push((await reader.read()).value!);
    const reason = new Error("the caller left");
    abort.abort(reason);
    for (let next = await reader.read(); !next.done; next = await reader.read()) parts.push(next.value);
    await vi.waitFor(() => expect(server.disconnects).toBe(1));
    expect(server.requests[0]?.disconnected).toBe(true);
    expect(parts.at(-1)).toEqual({ type: "error", error: reason });
    expect(textOf(parts).length).toBeLessThan(words.length);
  });

  it("stops a request the upstream has not answered yet, and rejects with the abort reason", async () => {
    const server = await serve({ script: [{ content: "late", delayMs: 2000 }] });
    const abort = new AbortController();
    const pending = (await model(server, "deepseek-chat", noRetries)).model.doStream(
      ask("wait", { abortSignal: abort.signal }),
    );
    await vi.waitFor(() => expect(server.requests).toHaveLength(1));
    const reason = new Error("the caller left");
    abort.abort(reason);
    await expect(pending).rejects.toBe(reason);
    await vi.waitFor(() => expect(server.disconnects).toBe(1));
  });

  it("reuses one keep-alive connection for calls in a row", async () => {
    const server = await countingServer();
    try {
      const settings = {
        provider: "openai-compatible",
        upstreamModel: "m",
        baseUrl: server.url,
        apiKey: undefined,
        reasoningReplay: "strip" as const,
        usageSemantics: "openai" as const,
        thinkingRequestField: false,
      };
      const language = new OpenAiChatLanguageModel(settings);
      for (let call = 0; call < 3; call++) {
        const parts = await collect((await language.doStream(ask("hi"))).stream);
        expect(textOf(parts)).toBe("Hello there");
        expect(parts.at(-1)).toMatchObject({ type: "finish", finishReason: { unified: "stop" } });
        // The rest of the answer (the chunked ending) is read after [DONE], and the connection goes back to the pool.
        await new Promise((resolve) => setTimeout(resolve, 60));
      }
      expect(server.connections()).toBe(1);
    } finally {
      await server.close();
    }
  });

  it("aborts the whole exchange after its overall timeout, before or during the answer", async () => {
    const transport = createNodeHttpTransport({ timeoutMilliseconds: 150 });
    const request = (server: DeepSeekServer) =>
      transport(`${server.url}/chat/completions`, {
        headers: { "content-type": "application/json", authorization: `Bearer ${apiKey}` },
        body: JSON.stringify({ model: "deepseek-chat", messages: [{ role: "user", content: "hi" }], stream: true }),
        signal: undefined,
      });
    const silent = await serve({ script: [{ content: "late", delayMs: 2000 }] });
    await expect(request(silent)).rejects.toMatchObject({ name: "TimeoutError" });
    await vi.waitFor(() => expect(silent.disconnects).toBe(1));

    const slow = await serve({ script: [{ content: words, chunkDelayMs: 50 }] });
    const answer = await request(slow);
    expect(answer.status).toBe(200);
    await expect(readAnswerText(answer)).rejects.toMatchObject({ name: "TimeoutError" });
    await vi.waitFor(() => expect(slow.disconnects).toBe(1));
  });

  it("reports a refused connection as ProviderConnectionError, and passes Retry-After on", async () => {
    const closed = await serve({});
    const url = closed.url;
    await closed.close();
    servers.splice(servers.indexOf(closed), 1);
    const unreachable = resolveModel("deepseek-chat", {
      catalog: Catalog.builtIn(),
      env: { DEEPSEEK_API_KEY: apiKey },
      modelsDirectory: "/nonexistent",
      baseUrl: url,
      retryPolicy: noRetries,
    });
    const refused = await (await unreachable).model.doGenerate(ask("hi")).then(
      () => undefined,
      (caught: unknown) => caught,
    );
    expect(refused).toBeInstanceOf(ProviderConnectionError);
    expect((refused as Error).message).toMatch(/ECONNREFUSED/);

    const limited = await serve({ script: [{ status: 429, retryAfterSeconds: 7 }] });
    const error = await (await model(limited, "deepseek-chat", noRetries)).model.doGenerate(ask("hi")).then(
      () => undefined,
      (caught: unknown) => caught,
    );
    expect(error).toMatchObject({ statusCode: 429, retryAfterMilliseconds: 7000 });
  });

  it("sends through the fetch given in the settings instead", async () => {
    const server = await serve({ script: [{ content: "via fetch" }] });
    const calls: string[] = [];
    const language = new OpenAiChatLanguageModel({
      provider: "deepseek",
      upstreamModel: "deepseek-chat",
      baseUrl: server.url,
      apiKey,
      reasoningReplay: "strip",
      usageSemantics: "deepseek",
      thinkingRequestField: false,
      fetch: (input, init) => {
        calls.push(String(input));
        return fetch(input, init);
      },
    });
    expect(textOf(await collect((await language.doStream(ask("hi"))).stream))).toBe("via fetch");
    expect(calls).toEqual([`${server.url}/chat/completions`]);
  });
});

describe("stream failures", () => {
  it("turns an error object inside the stream, or a stream cut before it ends, into an error part", async () => {
    const { createServer } = await import("node:http");
    const bodies = [
      'data: {"choices":[{"delta":{"content":"Hel"}}]}\n\ndata: {"error":{"message":"upstream overloaded"}}\n\n',
      'data: {"choices":[{"delta":{"content":"Hel"}}]}\n\n',
    ];
    const server = createServer((request, response) => {
      request.resume();
      response.writeHead(200, { "content-type": "text/event-stream" });
      response.end(bodies.shift());
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const address = server.address() as { port: number };
    try {
      const resolved = await resolveModel("deepseek-chat", {
        catalog: Catalog.builtIn(),
        env: { DEEPSEEK_API_KEY: apiKey },
        modelsDirectory: "/nonexistent",
        baseUrl: `http://127.0.0.1:${address.port}`,
        retryPolicy: fastRetries(),
      });
      const first = await collect((await resolved.model.doStream(ask("hi"))).stream);
      expect(first.find((part) => part.type === "error")).toMatchObject({
        error: { message: expect.stringMatching(/upstream overloaded/) },
      });
      const second = await collect((await resolved.model.doStream(ask("hi"))).stream);
      expect(second.find((part) => part.type === "error")).toMatchObject({
        error: { message: expect.stringMatching(/closed the stream before the answer was complete/) },
      });
      expect(second.some((part) => part.type === "finish")).toBe(false);
    } finally {
      server.close();
    }
  });

  it("reads a final [DONE] that ends with a carriage return and no newline", async () => {
    const { ServerSentEventParser } = await import("../../src/models/openai-chat/server-sent-events.ts");
    const parser = new ServerSentEventParser();
    const events = [...parser.push(new TextEncoder().encode('data: {"a":1}\r\n\r\ndata: [DONE]\r')), ...parser.end()];
    expect(events).toEqual(['{"a":1}', "[DONE]"]);
  });
});
