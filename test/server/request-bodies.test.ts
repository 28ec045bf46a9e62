import OpenAI from "openai";
import { afterEach, describe, expect, it } from "vitest";
import { OpenAiChatLanguageModel } from "../../src/models/openai-chat/openai-chat-language-model.ts";
import { RequestNotSentError } from "../../src/models/unbilled-call.ts";
import { gatewayErrorOf } from "../../src/server/upstream-errors.ts";
import { startDeepSeekServer } from "../support/deepseek-server/index.ts";
import { type GatewayFixture, startGatewayFixture, upstreamApiKey } from "./support/gateway-fixture.ts";
import { rawRequest } from "./support/raw-http.ts";

let fixture: GatewayFixture | undefined;
afterEach(async () => {
  await fixture?.close();
  fixture = undefined;
});

// biome-ignore lint/suspicious/noExplicitAny: API JSON is walked freely in assertions.
type Json = Record<string, any>;

/** A JSON schema nested `depth` levels deep through `properties.inner`, built as text (no recursion). */
const deepSchemaText = (depth: number) =>
  '{"type":"object","properties":{"inner":'.repeat(depth) + '{"type":"string"}' + "}}".repeat(depth);

const hello = [{ role: "user", content: "Hello" }];
const chatText = (extra: string) => `{"model":"deepseek-v4-flash","messages":${JSON.stringify(hello)}${extra}}`;

/** The gateway over an upstream that answers every call. */
const start = (settings: Record<string, unknown> = {}) =>
  startGatewayFixture({ upstream: { fallback: () => ({ content: "ok" }) }, settings });

async function post(path: string, body: string | Buffer, contentType?: string) {
  const headers: Record<string, string> = contentType === undefined ? {} : { "content-type": contentType };
  return rawRequest(fixture!.server.url, { method: "POST", path, headers, body });
}

describe("request bodies the gateway refuses before any work", () => {
  it("reproduction 9: a 50,000-deep tool schema or json_schema is a 400 from the gateway, not a 502 blaming deepseek", async () => {
    fixture = await start();
    const tool = `,"tools":[{"type":"function","function":{"name":"deep","parameters":${deepSchemaText(50_000)}}}]`;
    const format = `,"response_format":{"type":"json_schema","json_schema":{"name":"deep","schema":${deepSchemaText(50_000)}}}`;
    for (const extra of [tool, format]) {
      const answer = await post("/v1/chat/completions", chatText(extra), "application/json");
      expect(answer.status).toBe(400);
      const error = (answer.json as Json).error;
      expect(error).toMatchObject({ type: "invalid_request_error", code: "nesting_too_deep" });
      expect(error.message).toContain("64 levels");
      expect(error.message).not.toMatch(/deepseek|Could not reach/i);
    }
    expect(fixture.upstream.requests).toHaveLength(0);
    // A schema of ordinary depth still goes through.
    const ordinary = await post(
      "/v1/chat/completions",
      chatText(tool.replace(deepSchemaText(50_000), deepSchemaText(20))),
      "application/json",
    );
    expect(fixture.upstream.requests).toHaveLength(1);
    expect(ordinary.status).toBe(200);
  });

  it("refuses deep nesting in the runs API and in any field, unknown ones included", async () => {
    fixture = await start({ agents: { ops: { instructions: "Help." } } });
    const deepArray = "[".repeat(100_000) + "]".repeat(100_000);
    const run = await post("/v1/runs", `{"agent":"ops","task":"x","extra":${deepArray}}`, "application/json");
    expect(run.status).toBe(400);
    expect((run.json as Json).error.code).toBe("nesting_too_deep");
    const unknownField = await post("/v1/chat/completions", chatText(`,"metadata":${deepArray}`), "application/json");
    expect((unknownField.json as Json).error.code).toBe("nesting_too_deep");
    expect(await fixture.store.listRuns({ limit: 10 })).toEqual([]);
    expect(fixture.upstream.requests).toHaveLength(0);
  });

  it("reproduction 9: answers 415 to any content type but JSON, on every route that takes a body", async () => {
    fixture = await start({ agents: { ops: { instructions: "Help." } } });
    const body = chatText("");
    for (const contentType of [
      undefined,
      "text/plain",
      "application/x-www-form-urlencoded",
      "multipart/form-data; boundary=x",
      "application/jsonx",
      "application/json; charset=latin1",
    ]) {
      const answer = await post("/v1/chat/completions", body, contentType);
      expect({ contentType, status: answer.status }).toEqual({ contentType, status: 415 });
      expect((answer.json as Json).error).toMatchObject({
        type: "invalid_request_error",
        code: "unsupported_media_type",
      });
    }
    for (const path of ["/v1/runs", "/v1/runs/run_x/approve", "/v1/runs/run_x/cancel"]) {
      expect((await post(path, "{}", "text/plain")).status).toBe(415);
    }
    for (const contentType of [
      "application/json",
      "Application/JSON; charset=UTF-8",
      'application/json;charset="utf-8"',
    ]) {
      expect((await post("/v1/chat/completions", body, contentType)).status).toBe(200);
    }
    expect(fixture.upstream.requests).toHaveLength(3);
  });

  it("reproduction 9: answers 400 to invalid UTF-8, however the body arrives", async () => {
    fixture = await start();
    const invalid = Buffer.concat([
      Buffer.from(chatText("").slice(0, -1)),
      Buffer.from(',"user":"\xff\xfe"}', "latin1"),
    ]);
    const declared = await post("/v1/chat/completions", invalid, "application/json");
    expect(declared.status).toBe(400);
    expect((declared.json as Json).error).toMatchObject({ code: "invalid_encoding" });
    expect((declared.json as Json).error.message).toContain("UTF-8");
    const chunked = await rawRequest(fixture.server.url, {
      method: "POST",
      path: "/v1/chat/completions",
      headers: { "content-type": "application/json", "transfer-encoding": "chunked" },
      body: invalid,
    });
    expect((chunked.json as Json).error.code).toBe("invalid_encoding");
    expect(fixture.upstream.requests).toHaveLength(0);
  });

  it("reproduction 9: refuses max_tokens above the model's maximum, naming the limit, before calling the model", async () => {
    fixture = await start();
    const client = fixture.client();
    const limit = fixture.catalog.find("deepseek-v4-flash")!.maxOutputTokens;
    for (const field of ["max_tokens", "max_completion_tokens"] as const) {
      const error = await client.chat.completions
        .create({ model: "deepseek-v4-flash", messages: [{ role: "user", content: "Hi" }], [field]: limit + 1 })
        .catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(OpenAI.BadRequestError);
      expect(error).toMatchObject({ status: 400, param: field, code: "invalid_value" });
      expect((error as Error).message).toContain(String(limit));
    }
    expect(fixture.upstream.requests).toHaveLength(0);
    await client.chat.completions.create({
      model: "deepseek-v4-flash",
      messages: [{ role: "user", content: "Hi" }],
      max_tokens: limit,
    });
    expect(fixture.upstream.requests).toHaveLength(1);
  });
});

describe("whose fault an error is", () => {
  it("a request body the provider client cannot serialise is the gateway's fault, and nothing reaches the provider", async () => {
    const upstream = await startDeepSeekServer({ apiKey: upstreamApiKey, script: [{ content: "unused" }] });
    try {
      const language = new OpenAiChatLanguageModel({
        provider: "deepseek",
        upstreamModel: "deepseek-chat",
        baseUrl: upstream.url,
        apiKey: upstreamApiKey,
        reasoningReplay: "strip",
        usageSemantics: "deepseek",
        thinkingRequestField: false,
      });
      const inputSchema = JSON.parse(deepSchemaText(50_000));
      const thrown = await language
        .doGenerate({
          prompt: [{ role: "user", content: [{ type: "text", text: "hi" }] }],
          tools: [{ type: "function", name: "deep", inputSchema }],
        })
        .catch((caught: unknown) => caught);
      // Never sent, so never billed; the gateway answers for its cause.
      expect(thrown).toBeInstanceOf(RequestNotSentError);
      expect((thrown as RequestNotSentError).cause).toBeInstanceOf(RangeError);
      const answered = gatewayErrorOf(thrown, "deepseek");
      expect(answered).toMatchObject({ status: 500, type: "server_error" });
      expect(answered.message).toMatch(/^Tansuo's gateway failed: Maximum call stack size exceeded/);
      expect(answered.message).not.toMatch(/deepseek|Could not reach/);
      expect(upstream.requests).toHaveLength(0);
    } finally {
      await upstream.close();
    }
  });

  it("an upstream that cannot be reached is still named as such, a 502", async () => {
    const closed = await startDeepSeekServer({});
    const url = closed.url;
    await closed.close();
    fixture = await startGatewayFixture({ settings: { models: [{ id: "deepseek-v4-flash", baseUrl: url }] } });
    const error = await fixture
      .client()
      .chat.completions.create({ model: "deepseek-v4-flash", messages: [{ role: "user", content: "Hi" }] })
      .catch((caught: unknown) => caught);
    expect(error).toMatchObject({ status: 502, code: "upstream_unreachable" });
    expect((error as Error).message).toContain("Could not reach deepseek");
  });
});
