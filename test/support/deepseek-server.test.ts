import { afterEach, describe, expect, it, vi } from "vitest";
import { type DeepSeekServer, type ScriptedReply, startDeepSeekServer } from "./deepseek-server/index.ts";

// biome-ignore lint/suspicious/noExplicitAny: wire JSON is walked freely in assertions; the values are checked, not typed.
type Json = Record<string, any>;

const servers: DeepSeekServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => server.close()));
});

async function start(options: Parameters<typeof startDeepSeekServer>[0] = {}): Promise<DeepSeekServer> {
  const server = await startDeepSeekServer(options);
  servers.push(server);
  return server;
}

const userTurn = [{ role: "user", content: "What is the weather in Hangzhou?" }];

function post(server: DeepSeekServer, body: unknown, init: { path?: string; headers?: Record<string, string> } = {}) {
  return fetch(`${server.url}${init.path ?? "/chat/completions"}`, {
    method: "POST",
    headers: { "content-type": "application/json", ...init.headers },
    body: typeof body === "string" ? body : JSON.stringify(body),
  });
}

/** A hand-written SSE reader: comments, data payloads, and whether `[DONE]` closed the stream. */
function parseSse(text: string): { comments: string[]; chunks: Json[]; done: boolean } {
  const comments: string[] = [];
  const chunks: Json[] = [];
  let done = false;
  for (const event of text.split("\n\n").filter((block) => block !== "")) {
    if (event.startsWith(":")) comments.push(event);
    else if (event === "data: [DONE]") done = true;
    else chunks.push(JSON.parse(event.replace(/^data: /, "")));
  }
  return { comments, chunks, done };
}

describe("non-streaming answers", () => {
  it("answers in DeepSeek's chat.completion envelope and records the request", async () => {
    const server = await start({
      script: [
        {
          content: "Sunny, 24 °C.",
          reasoningContent: "The user wants the weather.",
          usage: { promptTokens: 100, cacheHitTokens: 64, completionTokens: 20, reasoningTokens: 7 },
        },
      ],
    });
    const response = await post(
      server,
      { model: "deepseek-reasoner", messages: userTurn },
      { path: "/v1/chat/completions" },
    );

    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toBe("application/json");
    const body = (await response.json()) as Json;
    expect(body).toEqual({
      id: expect.any(String),
      object: "chat.completion",
      created: expect.any(Number),
      model: "deepseek-reasoner",
      choices: [
        {
          index: 0,
          message: { role: "assistant", content: "Sunny, 24 °C.", reasoning_content: "The user wants the weather." },
          logprobs: null,
          finish_reason: "stop",
        },
      ],
      usage: {
        prompt_tokens: 100,
        completion_tokens: 20,
        total_tokens: 120,
        prompt_cache_hit_tokens: 64,
        prompt_cache_miss_tokens: 36,
        completion_tokens_details: { reasoning_tokens: 7 },
      },
      system_fingerprint: expect.stringMatching(/^fp_/),
    });
    expect(server.requests).toHaveLength(1);
    expect(server.requests[0]).toMatchObject({
      method: "POST",
      path: "/v1/chat/completions",
      body: { model: "deepseek-reasoner", messages: userTurn },
      status: 200,
      disconnected: false,
    });
    expect(server.remainingScript()).toEqual([]);
  });

  it("with prefixCache, reports as cache hits the prefix shared with an earlier request, in whole 64-token units", async () => {
    const server = await start({ prefixCache: true, script: [{ content: "a" }, { content: "b" }, { content: "c" }] });
    const long = "x".repeat(1000);
    const first = [{ role: "user", content: long }];
    const second = [...first, { role: "assistant", content: "a" }, { role: "user", content: "more" }];
    const usages: Json[] = [];
    for (const messages of [first, second, [{ role: "user", content: "other" }]]) {
      usages.push(((await (await post(server, { model: "deepseek-chat", messages })).json()) as Json).usage);
    }
    // The first request's JSON, `[{"role":"user","content":"` + 1,000 x + `"}]`, is 27 + 1000 + 3 = 1,030
    // characters; the second shares its first 1,029 (all but the `]`): 257 tokens, so 4 whole units of 64 = 256.
    expect(JSON.stringify(first)).toHaveLength(1030);
    expect(usages.map((usage) => usage.prompt_cache_hit_tokens)).toEqual([0, 256, 0]);
    expect(usages[1]?.prompt_cache_miss_tokens).toBe(usages[1]?.prompt_tokens - 256);
  });

  it("computes deterministic usage when the script gives none", async () => {
    const server = await start({ script: [{ content: "Hi" }] });
    const body = (await (await post(server, { model: "deepseek-chat", messages: userTurn })).json()) as Json;

    const promptTokens = Math.ceil(JSON.stringify(userTurn).length / 4);
    expect(body.usage).toEqual({
      prompt_tokens: promptTokens,
      completion_tokens: 1,
      total_tokens: promptTokens + 1,
      prompt_cache_hit_tokens: 0,
      prompt_cache_miss_tokens: promptTokens,
      completion_tokens_details: { reasoning_tokens: 0 },
    });
    expect(body.choices[0].message).toEqual({ role: "assistant", content: "Hi", reasoning_content: null });
  });

  it("returns tool calls with JSON-string arguments, passing raw strings through untouched", async () => {
    const server = await start({
      script: [
        {
          toolCalls: [
            { id: "call_00_fixed", name: "get_weather", arguments: { city: "Hangzhou" } },
            { name: "broken", arguments: '{"city": "Hang' },
          ],
        },
      ],
    });
    const body = (await (await post(server, { model: "deepseek-chat", messages: userTurn })).json()) as Json;

    expect(body.choices[0].finish_reason).toBe("tool_calls");
    expect(body.choices[0].message.content).toBe("");
    expect(body.choices[0].message.tool_calls).toEqual([
      { id: "call_00_fixed", type: "function", function: { name: "get_weather", arguments: '{"city":"Hangzhou"}' } },
      {
        id: expect.stringMatching(/^call_01_\w{24}$/),
        type: "function",
        function: { name: "broken", arguments: '{"city": "Hang' },
      },
    ]);
  });

  it("sends blank keep-alive lines before the JSON body", async () => {
    const server = await start({
      script: [{ content: "late", keepAlives: 3, finishReason: "insufficient_system_resource" }],
    });
    const text = await (await post(server, { model: "deepseek-chat", messages: userTurn })).text();

    expect(text.startsWith("\n\n\n{")).toBe(true);
    expect((JSON.parse(text.trim()) as Json).choices[0].finish_reason).toBe("insufficient_system_resource");
  });

  it("waits delayMs before answering", async () => {
    const server = await start({ script: [{ content: "slow", delayMs: 80 }] });
    const started = Date.now();
    await (await post(server, { model: "deepseek-chat", messages: userTurn })).json();
    expect(Date.now() - started).toBeGreaterThanOrEqual(70);
  });
});

describe("streaming answers", () => {
  it("streams keep-alives, role, reasoning, content, finish and usage chunks, then [DONE]", async () => {
    const server = await start({
      script: [
        {
          reasoningContent: "The user asks about the weather today.",
          content: "It is sunny in Hangzhou today.",
          keepAlives: 2,
          usage: { promptTokens: 50, completionTokens: 30, reasoningTokens: 12 },
        },
      ],
    });
    const response = await post(server, {
      model: "deepseek-reasoner",
      messages: userTurn,
      stream: true,
      stream_options: { include_usage: true },
    });
    expect(response.headers.get("content-type")).toBe("text/event-stream; charset=utf-8");
    const text = await response.text();
    expect(text.startsWith(": keep-alive\n\n: keep-alive\n\ndata: {")).toBe(true);
    const { comments, chunks, done } = parseSse(text);

    expect(comments).toEqual([": keep-alive", ": keep-alive"]);
    expect(done).toBe(true);
    for (const chunk of chunks) {
      expect(chunk).toMatchObject({ object: "chat.completion.chunk", model: "deepseek-reasoner", id: chunks[0]!.id });
      expect(chunk.system_fingerprint).toMatch(/^fp_/);
    }
    expect(chunks[0]!.choices).toEqual([
      {
        index: 0,
        delta: { role: "assistant", content: null, reasoning_content: "" },
        logprobs: null,
        finish_reason: null,
      },
    ]);

    const middle = chunks.slice(1, -2).map((chunk) => chunk.choices[0].delta);
    const reasoningDeltas = middle.filter((delta) => delta.reasoning_content !== null);
    const contentDeltas = middle.filter((delta) => delta.content !== null);
    expect(reasoningDeltas.length).toBeGreaterThan(1);
    expect(contentDeltas.length).toBeGreaterThan(1);
    expect(middle.findLastIndex((delta) => delta.reasoning_content !== null)).toBeLessThan(
      middle.findIndex((delta) => delta.content !== null),
    );
    expect(reasoningDeltas.map((delta) => delta.reasoning_content).join("")).toBe(
      "The user asks about the weather today.",
    );
    expect(contentDeltas.map((delta) => delta.content).join("")).toBe("It is sunny in Hangzhou today.");

    const finish = chunks.at(-2)!;
    expect(finish.choices[0].finish_reason).toBe("stop");
    expect(finish.usage).toBeNull();
    const usage = chunks.at(-1)!;
    expect(usage.choices).toEqual([]);
    expect(usage.usage).toEqual({
      prompt_tokens: 50,
      completion_tokens: 30,
      total_tokens: 80,
      prompt_cache_hit_tokens: 0,
      prompt_cache_miss_tokens: 50,
      completion_tokens_details: { reasoning_tokens: 12 },
    });
    expect(chunks.slice(0, -1).every((chunk) => chunk.usage === null)).toBe(true);
  });

  it("uses the non-thinking delta shape and sends no usage without include_usage", async () => {
    const server = await start({ script: [{ content: "Hello there, friend." }] });
    const text = await (await post(server, { model: "deepseek-chat", messages: userTurn, stream: true })).text();
    const { chunks, done } = parseSse(text);

    expect(done).toBe(true);
    expect(chunks[0]!.choices[0].delta).toEqual({ role: "assistant", content: "" });
    expect(chunks[1]!.choices[0].delta).toEqual({ content: "Hello " });
    expect(chunks.at(-1)!.choices[0]).toEqual({
      index: 0,
      delta: { content: "" },
      logprobs: null,
      finish_reason: "stop",
    });
    expect(chunks.every((chunk) => !("usage" in chunk))).toBe(true);
  });

  it("streams tool calls OpenAI-style: id and name first, then argument fragments", async () => {
    const server = await start({
      script: [
        {
          content: null,
          toolCalls: [
            { id: "call_00_a", name: "get_weather", arguments: { city: "Hangzhou", unit: "celsius" } },
            { id: "call_01_b", name: "get_time", arguments: { timezone: "Asia/Shanghai" } },
          ],
        },
      ],
    });
    const text = await (await post(server, { model: "deepseek-chat", messages: userTurn, stream: true })).text();
    const { chunks } = parseSse(text);

    const toolDeltas = chunks.flatMap((chunk) => chunk.choices[0]?.delta.tool_calls ?? []);
    expect(toolDeltas[0]).toEqual({
      index: 0,
      id: "call_00_a",
      type: "function",
      function: { name: "get_weather", arguments: "" },
    });
    expect(toolDeltas[1]).toEqual({ index: 0, function: { arguments: expect.any(String) } });
    const assembled = new Map<number, { id: string; name: string; arguments: string }>();
    for (const delta of toolDeltas) {
      const call = assembled.get(delta.index) ?? { id: "", name: "", arguments: "" };
      call.id += delta.id ?? "";
      call.name += delta.function.name ?? "";
      call.arguments += delta.function.arguments;
      assembled.set(delta.index, call);
    }
    expect([...assembled.values()]).toEqual([
      { id: "call_00_a", name: "get_weather", arguments: '{"city":"Hangzhou","unit":"celsius"}' },
      { id: "call_01_b", name: "get_time", arguments: '{"timezone":"Asia/Shanghai"}' },
    ]);
    expect(toolDeltas.filter((delta) => delta.index === 0).length).toBeGreaterThan(2);
    expect(chunks.at(-1)!.choices[0].finish_reason).toBe("tool_calls");
  });

  it("records a client that cancels mid-stream", async () => {
    const server = await start({ script: [{ content: "one two three four five six", chunkDelayMs: 40 }] });
    const controller = new AbortController();
    const response = await fetch(`${server.url}/chat/completions`, {
      method: "POST",
      body: JSON.stringify({ model: "deepseek-chat", messages: userTurn, stream: true }),
      signal: controller.signal,
    });
    const reader = response.body!.getReader();
    await reader.read();
    controller.abort();

    await vi.waitFor(() => expect(server.disconnects).toBe(1));
    expect(server.requests[0]!.disconnected).toBe(true);
  });

  it("records a client that gives up while the server is still delaying", async () => {
    const server = await start({ script: [{ content: "too late", delayMs: 200 }] });
    const request = fetch(`${server.url}/chat/completions`, {
      method: "POST",
      body: JSON.stringify({ model: "deepseek-chat", messages: userTurn }),
      signal: AbortSignal.timeout(50),
    });

    await expect(request).rejects.toThrow();
    await vi.waitFor(() => expect(server.disconnects).toBe(1));
    expect(server.requests[0]).toMatchObject({ disconnected: true, status: undefined });
  });

  it("drops the connection after destroyAfterChunks chunks, without counting a client disconnect", async () => {
    const server = await start({ script: [{ content: "one two three four", destroyAfterChunks: 2 }] });
    const response = await post(server, { model: "deepseek-chat", messages: userTurn, stream: true });

    await expect(response.text()).rejects.toThrow();
    expect(server.disconnects).toBe(0);
  });
});

describe("errors", () => {
  const expectations: [ScriptedReply & { status: number }, Json][] = [
    [{ status: 400 }, { message: "Invalid Format", type: "invalid_request_error", code: "invalid_request_error" }],
    [{ status: 401 }, { message: "Authentication Fails", type: "authentication_error", code: "invalid_request_error" }],
    [{ status: 402 }, { message: "Insufficient Balance", type: "unknown_error", code: "invalid_request_error" }],
    [{ status: 422 }, { message: "Invalid Parameters", type: "invalid_request_error", code: "invalid_request_error" }],
    [
      { status: 429, message: "slow down" },
      { message: "slow down", type: "rate_limit_error", code: "rate_limit_exceeded" },
    ],
    [{ status: 500 }, { message: "Server Error", type: "server_error", code: "server_error" }],
    [{ status: 503 }, { message: "Server Overloaded", type: "service_unavailable_error", code: "server_overloaded" }],
  ];

  it.each(expectations)("answers %o in DeepSeek's error format", async (reply, error) => {
    const server = await start({ script: [reply] });
    const response = await post(server, { model: "deepseek-chat", messages: userTurn, stream: true });

    expect(response.status).toBe(reply.status);
    expect(response.headers.get("content-type")).toBe("application/json");
    expect(response.headers.get("retry-after")).toBeNull();
    expect(await response.json()).toEqual({ error: { ...error, param: null } });
  });

  it("sends Retry-After when the script gives it", async () => {
    const server = await start({
      script: [
        { status: 429, retryAfterSeconds: 3 },
        { status: 503, retryAfterSeconds: 0 },
      ],
    });

    const first = await post(server, { model: "deepseek-chat", messages: userTurn });
    expect(first.status).toBe(429);
    expect(first.headers.get("retry-after")).toBe("3");
    const second = await post(server, { model: "deepseek-chat", messages: userTurn });
    expect(second.headers.get("retry-after")).toBe("0");
  });

  it("rejects bodies that are not JSON or have no messages, without using the script", async () => {
    const server = await start({ script: [{ content: "unused" }] });

    const notJson = await post(server, "{oops");
    expect(notJson.status).toBe(400);
    expect(server.requests[0]!.body).toBe("{oops");
    const noMessages = await post(server, { model: "deepseek-chat" });
    expect(noMessages.status).toBe(422);
    const unknownRoute = await post(server, { model: "deepseek-chat", messages: userTurn }, { path: "/v2/chat" });
    expect(unknownRoute.status).toBe(404);
    expect(server.remainingScript()).toEqual([{ content: "unused" }]);
  });
});

describe("reasoning_content rules", () => {
  const toolTurn = (assistant: Json) => [
    { role: "user", content: "Weather?" },
    { role: "system", content: "Be brief." },
    {
      role: "assistant",
      content: "",
      tool_calls: [{ id: "call_00_a", type: "function", function: { name: "get_weather", arguments: "{}" } }],
      ...assistant,
    },
    { role: "tool", tool_call_id: "call_00_a", content: "sunny" },
  ];

  it("legacy-r1-rejects: any reasoning_content in the input is a 400 and does not use the script", async () => {
    const server = await start({ script: [{ content: "ok" }], rules: { reasoningContent: "legacy-r1-rejects" } });
    const messages = [
      { role: "user", content: "Hi" },
      { role: "assistant", content: "Hello", reasoning_content: "greeting" },
      { role: "user", content: "Bye" },
    ];
    const response = await post(server, { model: "deepseek-reasoner", messages });

    expect(response.status).toBe(400);
    const body = (await response.json()) as Json;
    expect(body.error.message).toMatch(/Please remove the reasoning_content from your messages/);
    expect(body.error.type).toBe("invalid_request_error");
    expect(server.remainingScript()).toHaveLength(1);

    const stripped = await post(server, {
      model: "deepseek-reasoner",
      messages: messages.map(({ reasoning_content: _, ...message }) => message),
    });
    expect(stripped.status).toBe(200);
  });

  it("v3.2-requires-on-tool-turns: a tool-call turn without reasoning_content in thinking mode is a 400", async () => {
    const server = await start({
      script: [{ content: "ok" }],
      rules: { reasoningContent: "v3.2-requires-on-tool-turns" },
    });

    const missing = await post(server, { model: "deepseek-reasoner", messages: toolTurn({}) });
    expect(missing.status).toBe(400);
    expect(((await missing.json()) as Json).error.message).toMatch(
      /^Missing `reasoning_content` field in the assistant message at message index 2/,
    );
    const enabledOnChat = await post(server, {
      model: "deepseek-chat",
      thinking: { type: "enabled" },
      messages: toolTurn({ reasoning_content: null }),
    });
    expect(enabledOnChat.status).toBe(400);
    expect(server.remainingScript()).toHaveLength(1);

    const present = await post(server, { model: "deepseek-reasoner", messages: toolTurn({ reasoning_content: "" }) });
    expect(present.status).toBe(200);
  });

  it("v3.2-requires-on-tool-turns: non-thinking requests and plain turns pass", async () => {
    const server = await start({
      fallback: () => ({ content: "ok" }),
      rules: { reasoningContent: "v3.2-requires-on-tool-turns" },
    });

    expect((await post(server, { model: "deepseek-chat", messages: toolTurn({}) })).status).toBe(200);
    const disabled = { model: "deepseek-v4-flash", thinking: { type: "disabled" }, messages: toolTurn({}) };
    expect((await post(server, disabled)).status).toBe(200);
    const plainTurn = [
      { role: "user", content: "Hi" },
      { role: "assistant", content: "Hello" },
      { role: "user", content: "Bye" },
    ];
    expect((await post(server, { model: "deepseek-reasoner", messages: plainTurn })).status).toBe(200);
  });
});

describe("auth, models and the script", () => {
  it("answers 401 in DeepSeek's format without the right bearer key", async () => {
    const server = await start({ apiKey: "sk-test-1234", script: [{ content: "ok" }] });
    const request = { model: "deepseek-chat", messages: userTurn };

    const missing = await post(server, request);
    expect(missing.status).toBe(401);
    expect(((await missing.json()) as Json).error).toMatchObject({ type: "authentication_error", param: null });
    const wrong = await post(server, request, { headers: { authorization: "Bearer sk-wrong-9999" } });
    expect(((await wrong.json()) as Json).error.message).toBe(
      "Authentication Fails, Your api key: ****9999 is invalid",
    );
    expect(server.remainingScript()).toHaveLength(1);

    const right = await post(server, request, { headers: { authorization: "Bearer sk-test-1234" } });
    expect(right.status).toBe(200);
    expect(server.requests.map((request) => request.status)).toEqual([401, 401, 200]);
  });

  it("lists models on /models and /v1/models", async () => {
    const server = await start();
    for (const path of ["/models", "/v1/models"]) {
      const body = (await (await fetch(`${server.url}${path}`)).json()) as Json;
      expect(body.object).toBe("list");
      expect(body.data.map((model: Json) => model.id)).toEqual(["deepseek-chat", "deepseek-reasoner"]);
    }
  });

  it("answers 500 and counts the request once the script is exhausted", async () => {
    const server = await start({ script: [{ content: "only one" }] });
    expect((await post(server, { model: "deepseek-chat", messages: userTurn })).status).toBe(200);

    const extra = await post(server, { model: "deepseek-chat", messages: userTurn });
    expect(extra.status).toBe(500);
    expect(((await extra.json()) as Json).error.message).toMatch(/script is exhausted/);
    expect(server.unscriptedRequests).toBe(1);
  });

  it("uses the script in order, then the fallback", async () => {
    const server = await start({
      script: [{ content: "first" }, { content: "second" }],
      fallback: (request) => ({ content: `fallback for ${(request.body as Json).model}` }),
    });
    const contents: string[] = [];
    for (let index = 0; index < 3; index++) {
      const body = (await (await post(server, { model: "deepseek-v4-pro", messages: userTurn })).json()) as Json;
      contents.push(body.choices[0].message.content);
    }

    expect(contents).toEqual(["first", "second", "fallback for deepseek-v4-pro"]);
    expect(server.unscriptedRequests).toBe(0);
  });
});
