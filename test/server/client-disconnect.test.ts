import { afterEach, describe, expect, it, vi } from "vitest";
import { Usd } from "../../src/cost/usd.ts";
import { type GatewayFixture, startGatewayFixture } from "./support/gateway-fixture.ts";

let fixture: GatewayFixture | undefined;
afterEach(async () => {
  await fixture?.close();
  fixture = undefined;
});

const words = Array.from({ length: 40 }, (_, index) => `word${index}`).join(" ");

describe("a client that leaves mid-answer", () => {
  it("stops the upstream call and is billed for what was streamed", async () => {
    fixture = await startGatewayFixture({ upstream: { script: [{ content: words, chunkDelayMs: 40 }] } });
    const abort = new AbortController();
    const stream = await fixture
      .client()
      .chat.completions.create(
        { model: "deepseek-v4-flash", messages: [{ role: "user", content: "Count." }], stream: true },
        { signal: abort.signal },
      );
    let received = "";
    let contentChunks = 0;
    for await (const chunk of stream) {
      const content = chunk.choices[0]?.delta.content ?? "";
      received += content;
      if (content !== "") contentChunks++;
      if (contentChunks === 3) {
        abort.abort();
        break;
      }
    }

    const upstream = fixture.upstream;
    await vi.waitFor(() => expect(upstream.disconnects).toBe(1));
    await vi.waitFor(async () => expect(await fixture?.store.usageRows()).toHaveLength(1));
    const row = (await fixture.store.usageRows())[0]!;
    // An upper bound on what the upstream generated: at least the bytes the client saw, less than the whole answer.
    expect(row.usage.outputTokens).toBeGreaterThanOrEqual(Buffer.byteLength(received));
    expect(row.usage.outputTokens).toBeLessThan(Buffer.byteLength(words));
    expect(row.usage.inputTokens).toBeGreaterThan(0);
    expect(row.usage.cacheMissTokens).toBe(row.usage.inputTokens);
    expect(Usd.compare(row.costUsd, "0")).toBe(1);
    expect(received.length).toBeLessThan(words.length);
  });

  it("stops a plain request the upstream is still working on, and bills the prompt", async () => {
    fixture = await startGatewayFixture({ upstream: { script: [{ content: "late", delayMs: 1000 }] } });
    const abort = new AbortController();
    const pending = fixture
      .client()
      .chat.completions.create(
        { model: "deepseek-v4-flash", messages: [{ role: "user", content: "Take your time." }] },
        { signal: abort.signal },
      );
    const upstream = fixture.upstream;
    await vi.waitFor(() => expect(upstream.requests).toHaveLength(1));
    abort.abort();
    await expect(pending).rejects.toThrow();
    await vi.waitFor(() => expect(upstream.disconnects).toBe(1));
    await vi.waitFor(async () => expect(await fixture?.store.usageRows()).toHaveLength(1));
    expect((await fixture.store.usageRows())[0]?.usage).toMatchObject({ outputTokens: 0 });
  });

  it("is billed for what was streamed when the upstream connection breaks, and gets an error event", async () => {
    fixture = await startGatewayFixture({
      upstream: { script: [{ content: words, destroyAfterChunks: 5, chunkDelayMs: 20 }] },
    });
    const stream = await fixture.client().chat.completions.create({
      model: "deepseek-v4-flash",
      messages: [{ role: "user", content: "Count." }],
      stream: true,
    });
    let received = "";
    const failure = await (async () => {
      for await (const chunk of stream) received += chunk.choices[0]?.delta.content ?? "";
    })().catch((caught: unknown) => caught);
    expect(failure).toBeInstanceOf(Error);
    expect((failure as Error).message).toContain("stream broke off");
    expect(received.length).toBeGreaterThan(0);
    const row = (await fixture.store.usageRows())[0]!;
    expect(row.usage.outputTokens).toBeGreaterThan(0);
  });
});
