import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import OpenAI from "openai";
import { afterEach, describe, expect, it } from "vitest";
import { type GatewayFixture, startGatewayFixture, upstreamApiKey } from "./support/gateway-fixture.ts";

let fixture: GatewayFixture | undefined;
let upstream: Server | undefined;
afterEach(async () => {
  await fixture?.close();
  fixture = undefined;
  await new Promise((resolve) => (upstream ? upstream.close(resolve) : resolve(undefined)));
  upstream = undefined;
});

/** The gateway over a 127.0.0.1 upstream that answers every call with `body`, echoing the key it was sent. */
async function gatewayOver(body: (apiKey: string) => string, contentType: string) {
  upstream = createServer((request, response) => {
    request.resume();
    response.writeHead(200, { "content-type": contentType });
    response.end(body(String(request.headers.authorization ?? "").replace(/^Bearer /, "")));
  });
  await new Promise<void>((resolve) => upstream!.listen(0, "127.0.0.1", resolve));
  const url = `http://127.0.0.1:${(upstream.address() as AddressInfo).port}`;
  fixture = await startGatewayFixture({ settings: { models: [{ id: "deepseek-v4-flash", baseUrl: url }] } });
  return fixture.client();
}

const hello = { model: "deepseek-v4-flash", messages: [{ role: "user" as const, content: "Hello" }] };

describe("the gateway over an upstream whose answer is malformed", () => {
  it("answers 502 upstream_protocol_error naming the field, with the server's key redacted", async () => {
    const client = await gatewayOver(
      (key) => JSON.stringify({ choices: [{ message: { content: 7 } }], note: `key ${key}` }),
      "application/json",
    );
    const error = await client.chat.completions.create({ ...hello, max_tokens: 100 }).then(
      () => undefined,
      (caught: unknown) => caught,
    );
    expect(error).toBeInstanceOf(OpenAI.APIError);
    expect(error).toMatchObject({ status: 502, code: "upstream_protocol_error" });
    const message = (error as Error).message;
    expect(message).toContain("deepseek sent an answer Tansuo cannot read: choices[0].message.content");
    expect(message).not.toContain(upstreamApiKey);
    // The upstream generated an answer it may charge for: the call is billed at its upper bound, never as free.
    const [row] = await fixture!.store.usageRows();
    expect(row).toMatchObject({ requests: 1, usage: { outputTokens: 100, cacheHitTokens: 0 } });
    expect(row!.usage.inputTokens).toBeGreaterThan(0);
    expect(row!.usage.cacheMissTokens).toBe(row!.usage.inputTokens);
  });

  it("ends a stream with an error event naming the field of the bad chunk", async () => {
    const client = await gatewayOver(
      () =>
        'data: {"choices":[{"delta":{"content":"Hi"}}]}\n\n' +
        'data: {"choices":[],"usage":{"prompt_tokens":"lots","completion_tokens":1}}\n\ndata: [DONE]\n\n',
      "text/event-stream",
    );
    const text: string[] = [];
    const failure = await (async () => {
      for await (const chunk of await client.chat.completions.create({ ...hello, stream: true })) {
        text.push(chunk.choices[0]?.delta.content ?? "");
      }
    })().then(
      () => undefined,
      (caught: unknown) => caught,
    );
    expect(text.join("")).toBe("Hi");
    expect((failure as Error | undefined)?.message).toMatch(/usage\.prompt_tokens: Invalid input: expected number/);
  });
});
