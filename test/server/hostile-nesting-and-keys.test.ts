import { afterEach, describe, expect, it } from "vitest";
import { type GatewayFixture, startGatewayFixture } from "./support/gateway-fixture.ts";
import { rawRequest } from "./support/raw-http.ts";

let fixture: GatewayFixture | undefined;
afterEach(async () => {
  await fixture?.close();
  fixture = undefined;
});

// biome-ignore lint/suspicious/noExplicitAny: API JSON is walked freely in assertions.
type Json = Record<string, any>;

const start = (settings: Record<string, unknown> = {}) =>
  startGatewayFixture({ upstream: { fallback: () => ({ content: "ok" }) }, settings });

/** A conversation whose one earlier tool call carries `arguments` nested `depth` objects deep. */
const withToolCall = (depth: number, stream: boolean) =>
  JSON.stringify({
    model: "deepseek-v4-flash",
    stream,
    messages: [
      { role: "user", content: "go" },
      {
        role: "assistant",
        content: null,
        tool_calls: [
          {
            id: "c1",
            type: "function",
            function: { name: "f", arguments: `${'{"a":'.repeat(depth)}1${"}".repeat(depth)}` },
          },
        ],
      },
      { role: "tool", tool_call_id: "c1", content: "x" },
    ],
  });

const post = (path: string, body: string) =>
  rawRequest(fixture!.server.url, { method: "POST", path, headers: { "content-type": "application/json" }, body });

describe("hostile inputs: JSON hidden in strings, models without keys", () => {
  it("break A: tool-call arguments nested past 64 levels are a 400 nesting_too_deep, streamed or not", async () => {
    fixture = await start();
    for (const depth of [65, 1_000, 5_000, 50_000]) {
      for (const stream of [false, true]) {
        const answer = await post("/v1/chat/completions", withToolCall(depth, stream));
        expect(answer.status).toBe(400);
        const error = (answer.json as Json).error;
        expect(error).toMatchObject({
          type: "invalid_request_error",
          code: "nesting_too_deep",
          param: "messages[1].tool_calls[0].function.arguments",
        });
        expect(error.message).toContain("64 levels");
      }
    }
    expect(fixture.upstream.requests).toHaveLength(0);
    const ordinary = await post("/v1/chat/completions", withToolCall(64, false));
    expect(ordinary.status).toBe(200);
    expect(fixture.upstream.requests).toHaveLength(1);
  });

  it("break G: a model whose provider has no key configured is a 400 model_not_configured naming the setting", async () => {
    fixture = await start();
    for (const stream of [false, true]) {
      const answer = await post(
        "/v1/chat/completions",
        JSON.stringify({ model: "gpt-5-mini", stream, messages: [{ role: "user", content: "hi" }] }),
      );
      expect(answer.status).toBe(400);
      const error = (answer.json as Json).error;
      expect(error).toMatchObject({ type: "invalid_request_error", code: "model_not_configured", param: "model" });
      expect(error.message).toContain("no API key configured");
      expect(error.message).toContain("OPENAI_API_KEY");
      expect(error.message).toContain("providers.openai.apiKey");
      expect(error.message).not.toMatch(/sk-/);
    }
  });

  it("break G: a run of an agent whose model has no key is refused with model_not_configured, no run created", async () => {
    fixture = await start({ agents: { ops: { instructions: "Help.", model: "gpt-5-mini" } } });
    const answer = await post("/v1/runs", JSON.stringify({ agent: "ops", task: "hi" }));
    expect(answer.status).toBe(400);
    expect((answer.json as Json).error).toMatchObject({ code: "model_not_configured", param: "model" });
    expect((answer.json as Json).error.message).toContain("OPENAI_API_KEY");
    expect(await fixture.store.listRuns({ limit: 10 })).toEqual([]);
  });
});
