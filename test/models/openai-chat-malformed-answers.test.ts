import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import type { LanguageModelV3CallOptions, LanguageModelV3StreamPart } from "@ai-sdk/provider";
import { afterEach, describe, expect, it, vi } from "vitest";
import { OpenAiChatLanguageModel } from "../../src/models/openai-chat/openai-chat-language-model.ts";
import { ProviderMalformedAnswerError, ProviderProtocolError } from "../../src/models/openai-chat/provider-errors.ts";

const apiKey = "sk-malformed-0123456789";
const servers: Server[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => new Promise((resolve) => server.close(resolve))));
});

/** A server on 127.0.0.1 that answers every request with `body`, as JSON or as an event stream. */
async function answering(body: string, contentType = "application/json") {
  const server = createServer((request, response) => {
    request.resume();
    response.writeHead(200, { "content-type": contentType });
    response.end(body);
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return new OpenAiChatLanguageModel({
    provider: "deepseek",
    upstreamModel: "deepseek-chat",
    baseUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    apiKey,
    reasoningReplay: "strip",
    usageSemantics: "deepseek",
    thinkingRequestField: false,
  });
}

const ask: LanguageModelV3CallOptions = { prompt: [{ role: "user", content: [{ type: "text", text: "hi" }] }] };

const caught = (promise: Promise<unknown>) =>
  promise.then(
    () => undefined,
    (error: unknown) => error,
  );

async function streamError(body: string) {
  const model = await answering(body, "text/event-stream");
  const parts: LanguageModelV3StreamPart[] = [];
  for await (const part of (await model.doStream(ask)).stream as unknown as AsyncIterable<LanguageModelV3StreamPart>)
    parts.push(part);
  expect(parts.some((part) => part.type === "finish")).toBe(false);
  const last = parts.at(-1);
  return { parts, error: last?.type === "error" ? last.error : undefined };
}

const chunk = (value: unknown) => `data: ${JSON.stringify(value)}\n\n`;
const textChunk = chunk({ id: "c1", choices: [{ index: 0, delta: { content: "Hel" } }] });

describe("a malformed non-streamed answer is a named provider error", () => {
  const cases: { title: string; body: string; fieldPath: string; problem: RegExp }[] = [
    {
      title: "a body that is not JSON",
      body: "<html>502 Bad Gateway</html>",
      fieldPath: "(body)",
      problem: /not JSON/,
    },
    { title: "no choices field", body: JSON.stringify({ id: "x" }), fieldPath: "choices", problem: /expected array/ },
    {
      title: "an empty choices list",
      body: JSON.stringify({ choices: [] }),
      fieldPath: "choices",
      problem: /no choices/,
    },
    {
      title: "a choice without a message",
      body: JSON.stringify({ choices: [{ finish_reason: "stop" }] }),
      fieldPath: "choices[0].message",
      problem: /expected object/,
    },
    {
      title: "content of the wrong type",
      body: JSON.stringify({ choices: [{ message: { content: 42 } }] }),
      fieldPath: "choices[0].message.content",
      problem: /expected string/,
    },
    {
      title: "usage counts sent as strings",
      body: JSON.stringify({
        choices: [{ message: { content: "hi" }, finish_reason: "stop" }],
        usage: { prompt_tokens: "12", completion_tokens: 3 },
      }),
      fieldPath: "usage.prompt_tokens",
      problem: /expected number/,
    },
    {
      title: "tool call arguments as an object instead of a JSON string",
      body: JSON.stringify({
        choices: [{ message: { tool_calls: [{ id: "c", function: { name: "f", arguments: { a: 1 } } }] } }],
      }),
      fieldPath: "choices[0].message.tool_calls[0].function.arguments",
      problem: /expected string/,
    },
  ];
  for (const { title, body, fieldPath, problem } of cases) {
    it(title, async () => {
      const error = await caught((await answering(body)).doGenerate(ask));
      expect(error).toBeInstanceOf(ProviderMalformedAnswerError);
      expect(error).toMatchObject({ provider: "deepseek", fieldPath, isRetryable: false });
      expect((error as ProviderMalformedAnswerError).problem).toMatch(problem);
      expect((error as Error).message).toContain(`deepseek sent an answer Tansuo cannot read: ${fieldPath}`);
      expect((error as ProviderMalformedAnswerError).snippet).toBe(body.slice(0, 200));
    });
  }

  it("keeps the API key out of the snippet when the body echoes it", async () => {
    const body = `upstream proxy error for Bearer ${apiKey}`;
    const error = (await caught((await answering(body)).doGenerate(ask))) as ProviderMalformedAnswerError;
    expect(error.snippet).toBe("upstream proxy error for Bearer [redacted]");
    expect(error.message).not.toContain(apiKey);
  });

  it("cuts a long snippet to 200 characters", async () => {
    const body = `not json ${"x".repeat(1000)}`;
    const error = (await caught((await answering(body)).doGenerate(ask))) as ProviderMalformedAnswerError;
    expect(error.snippet).toHaveLength(200);
  });

  it("still reads an answer with unknown fields and nulls where a field is absent", async () => {
    const body = JSON.stringify({
      id: "x",
      object: "chat.completion",
      system_fingerprint: "fp_1",
      choices: [
        {
          index: 0,
          logprobs: null,
          finish_reason: "stop",
          message: { role: "assistant", content: "Hi", reasoning_content: null, tool_calls: null, refusal: null },
        },
      ],
      usage: { prompt_tokens: 5, completion_tokens: 1, prompt_tokens_details: null, future_field: "kept" },
    });
    const result = await (await answering(body)).doGenerate(ask);
    expect(result.content).toEqual([{ type: "text", text: "Hi" }]);
    expect(result.usage.inputTokens.total).toBe(5);
    expect(result.response?.body).toMatchObject({ system_fingerprint: "fp_1" });
  });

  it("reports an error object sent with status 200 by its message", async () => {
    const error = await caught(
      (await answering(JSON.stringify({ error: { message: "model overloaded" } }))).doGenerate(ask),
    );
    expect(error).toBeInstanceOf(ProviderProtocolError);
    expect((error as Error).message).toBe("deepseek reported an error: model overloaded");
  });
});

describe("a malformed stream chunk ends the stream with a named provider error", () => {
  it("a chunk that is not JSON, after text was streamed", async () => {
    const { parts, error } = await streamError(`${textChunk}data: {"choices":[{"delta":\n\n`);
    expect(parts.some((part) => part.type === "text-delta" && part.delta === "Hel")).toBe(true);
    expect(error).toBeInstanceOf(ProviderMalformedAnswerError);
    expect(error).toMatchObject({ provider: "deepseek", fieldPath: "(body)", snippet: '{"choices":[{"delta":' });
  });

  it("a delta whose content is not a string", async () => {
    const { error } = await streamError(`${textChunk}${chunk({ choices: [{ delta: { content: ["a"] } }] })}`);
    expect(error).toMatchObject({ fieldPath: "choices[0].delta.content" });
    expect(error).toBeInstanceOf(ProviderMalformedAnswerError);
  });

  it("choices that are not a list", async () => {
    const { error } = await streamError(chunk({ choices: { delta: { content: "a" } } }));
    expect(error).toMatchObject({ fieldPath: "choices" });
  });

  it("a usage chunk with counts as strings, which would otherwise bill nothing", async () => {
    const usage = { prompt_tokens: 10, completion_tokens: "7", prompt_cache_hit_tokens: 0 };
    const { error } = await streamError(`${textChunk}${chunk({ choices: [], usage })}data: [DONE]\n\n`);
    expect(error).toBeInstanceOf(ProviderMalformedAnswerError);
    expect(error).toMatchObject({ fieldPath: "usage.completion_tokens" });
    expect((error as Error).message).toMatch(/expected number, received string/);
  });

  it("a tool call index that is not a number", async () => {
    const { error } = await streamError(
      chunk({ choices: [{ delta: { tool_calls: [{ index: "0", id: "c", function: { name: "f" } }] } }] }),
    );
    expect(error).toMatchObject({ fieldPath: "choices[0].delta.tool_calls[0].index" });
  });

  it("still streams chunks with unknown fields and null deltas", async () => {
    const model = await answering(
      chunk({ id: "c", object: "chat.completion.chunk", choices: [{ index: 0, delta: null, logprobs: null }] }) +
        chunk({
          choices: [{ index: 0, delta: { role: "assistant", content: "ok", extra: 1 }, finish_reason: "stop" }],
        }) +
        chunk({ choices: [], usage: { prompt_tokens: 3, completion_tokens: 1, completion_tokens_details: null } }) +
        "data: [DONE]\n\n",
      "text/event-stream",
    );
    const parts: LanguageModelV3StreamPart[] = [];
    for await (const part of (await model.doStream(ask)).stream as unknown as AsyncIterable<LanguageModelV3StreamPart>)
      parts.push(part);
    expect(parts.filter((part) => part.type === "text-delta").map((part) => part.delta)).toEqual(["ok"]);
    expect(parts.at(-1)).toMatchObject({ type: "finish", usage: { inputTokens: { total: 3 } } });
  });
});

describe("the connection after a malformed chunk", () => {
  it("is closed at once, not left open while the upstream keeps sending", async () => {
    let closed = false;
    const server = createServer((request, response) => {
      request.resume();
      response.writeHead(200, { "content-type": "text/event-stream" });
      response.write(`${textChunk}data: not json\n\n`);
      // The upstream would go on streaming; only the client closing the connection ends this answer.
      const more = setInterval(() => response.write(textChunk), 20);
      response.on("close", () => {
        clearInterval(more);
        closed = true;
      });
    });
    servers.push(server);
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const model = new OpenAiChatLanguageModel({
      provider: "deepseek",
      upstreamModel: "deepseek-chat",
      baseUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
      apiKey,
      reasoningReplay: "strip",
      usageSemantics: "deepseek",
      thinkingRequestField: false,
    });
    const parts: LanguageModelV3StreamPart[] = [];
    for await (const part of (await model.doStream(ask)).stream as unknown as AsyncIterable<LanguageModelV3StreamPart>)
      parts.push(part);
    expect(parts.at(-1)).toMatchObject({ type: "error", error: { fieldPath: "(body)" } });
    await vi.waitFor(() => expect(closed).toBe(true), { timeout: 2000 });
  });
});
