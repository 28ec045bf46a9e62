import { afterEach, describe, expect, it } from "vitest";
import { executeRun, startRun } from "../../src/agent/index.ts";
import { ProviderConnectionError, ProviderResponseError } from "../../src/models/openai-chat/provider-errors.ts";
import { RequestNotSentError } from "../../src/models/unbilled-call.ts";
import { scriptedHarness } from "../support/agent-harness.ts";

let harness: ReturnType<typeof scriptedHarness>;
afterEach(() => harness?.cleanup());

// $1 per million prompt tokens, $2 per million output tokens: a worst case of a few thousand tokens is visible.
const price = { effectiveFrom: "2020-01-01", inputCacheHit: "0.1", inputCacheMiss: "1", output: "2" };
const settings = (budgetUsd?: string) => ({
  task: "do the task",
  model: "scripted",
  workspace: harness.workspace,
  budgetUsd,
});

const refused = () =>
  new ProviderConnectionError(
    "deepseek",
    "http://127.0.0.1:9/chat/completions",
    Object.assign(new Error("connect ECONNREFUSED 127.0.0.1:9"), { code: "ECONNREFUSED" }),
  );

describe("a model call that never reached the provider", () => {
  it.each([
    ["connection refused", refused, /never reached \(ECONNREFUSED/],
    [
      "DNS failure",
      () =>
        new ProviderConnectionError(
          "deepseek",
          "http://nowhere.invalid",
          Object.assign(new Error("getaddrinfo ENOTFOUND nowhere.invalid"), { code: "ENOTFOUND" }),
        ),
      /never reached \(ENOTFOUND/,
    ],
    [
      "TLS failure",
      () =>
        new ProviderConnectionError(
          "deepseek",
          "https://127.0.0.1",
          Object.assign(new Error("self-signed certificate"), { code: "DEPTH_ZERO_SELF_SIGNED_CERT" }),
        ),
      /TLS handshake failed/,
    ],
    ["401", () => new ProviderResponseError("deepseek", 401, "Authentication Fails", undefined), /error \(HTTP 401\)/],
    [
      "429 after retries",
      () => new ProviderResponseError("deepseek", 429, "Rate limited", undefined),
      /error \(HTTP 429\)/,
    ],
    ["503", () => new ProviderResponseError("deepseek", 503, "Server busy", undefined), /error \(HTTP 503\)/],
    [
      "request never built (break A)",
      () => new RequestNotSentError("deepseek", new RangeError("Maximum call stack size exceeded")),
      /request was never sent/,
    ],
  ])("(%s) costs $0, says why, and is not billed again on resume", async (_name, error, reason) => {
    harness = scriptedHarness(
      [{ error: error() }, { text: "answered", usage: { inputTokens: 300, outputTokens: 10 } }],
      {
        price,
      },
    );
    // $0.01 pays for one call's worst case (its output allowance is clamped to fit), not for two...
    const run = await startRun(harness.runtime, settings("0.01"));
    const failed = await executeRun(harness.runtime, run.id);
    expect(failed.status).toBe("failed");
    expect(failed.costUsd).toBe("0");
    const [step] = await harness.store.listSteps(run.id);
    expect(step).toMatchObject({ finishReason: "not-billed", costUsd: "0", assistant: { discarded: true } });
    expect(step?.assistant.discardReason).toMatch(reason);
    expect(step?.assistant.discardReason).toMatch(/cost \$0/);

    // ...so had the failed call been billed at its worst case as "lost in a crash", this resume could not call.
    const resumed = await executeRun(harness.runtime, run.id);
    expect(resumed.status).toBe("succeeded");
    expect((await harness.store.listSteps(run.id)).map((each) => each.finishReason)).toEqual(["not-billed", "stop"]);
    // 300 prompt tokens at $1/M + 10 output at $2/M.
    expect(resumed.costUsd).toBe("0.00032");
    harness.model.assertFinished();
  });

  it("a connection that broke after the request went out keeps the upper bound, with the reason", async () => {
    const reset = new ProviderConnectionError(
      "deepseek",
      "http://127.0.0.1:9/chat/completions",
      Object.assign(new Error("socket hang up"), { code: "ECONNRESET" }),
    );
    harness = scriptedHarness([{ error: reset }], { price });
    const run = await startRun(harness.runtime, settings());
    const failed = await executeRun(harness.runtime, run.id);
    const [step] = await harness.store.listSteps(run.id);
    expect(step).toMatchObject({ finishReason: "no-answer", price: { estimated: true } });
    expect(step?.assistant.discardReason).toMatch(/no answer came \(.*socket hang up\); the request may have reached/);
    expect(step?.usage.outputTokens).toBe(0);
    expect(step?.usage.cacheMissTokens).toBeGreaterThan(0);
    expect(Number(failed.costUsd)).toBeGreaterThan(0);
    expect(failed.costUsd).toBe(step?.costUsd);
  });

  it("an answer the user interrupted keeps the upper bound of what streamed, with the reason", async () => {
    harness = scriptedHarness([], { price });
    harness.model.doStream = async (options) => ({
      stream: new ReadableStream({
        start(controller) {
          controller.enqueue({ type: "stream-start", warnings: [] });
          controller.enqueue({ type: "text-start", id: "t" });
          controller.enqueue({ type: "text-delta", id: "t", delta: "twelve bytes" });
          options.abortSignal?.addEventListener("abort", () => controller.error(options.abortSignal?.reason));
        },
      }),
    });
    const run = await startRun(harness.runtime, settings());
    const interrupt = new AbortController();
    const running = executeRun(harness.runtime, run.id, { signal: interrupt.signal });
    await new Promise((resolve) => setTimeout(resolve, 100));
    interrupt.abort(new Error("interrupted"));
    expect((await running).status).toBe("failed");
    const [step] = await harness.store.listSteps(run.id);
    expect(step).toMatchObject({ finishReason: "interrupted", price: { estimated: true } });
    expect(step?.assistant.discardReason).toBe(
      "interrupted by the user; billed an upper bound: the prompt bound plus what streamed",
    );
    expect(step?.usage.outputTokens).toBe(12);
  });
});
