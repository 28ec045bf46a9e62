import { createServer } from "node:net";
import { describe, expect, it } from "vitest";
import { causeChainMessage } from "../../src/errors/cause-chain.ts";
import { ProviderConnectionError } from "../../src/models/openai-chat/provider-errors.ts";
import { type RetryPolicy, withRetries } from "../../src/models/retry-policy.ts";

/** A port on 127.0.0.1 that was free a moment ago and has no listener now. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** What getaddrinfo throws for a name that does not resolve (made here: a test may not ask a real resolver). */
const lookupFailure = (code: "ENOTFOUND" | "EAI_AGAIN") =>
  Object.assign(new Error(`getaddrinfo ${code} api.deepseek.com`), { code, syscall: "getaddrinfo" });

async function attemptsUntilFailure(cause: unknown): Promise<number> {
  let attempts = 0;
  const policy: RetryPolicy = { maxRetries: 4, initialDelayMilliseconds: 0, maxDelayMilliseconds: 0 };
  await expect(
    withRetries(policy, undefined, async () => {
      attempts++;
      throw new ProviderConnectionError("deepseek", "https://api.deepseek.com/chat/completions", cause);
    }),
  ).rejects.toBeInstanceOf(ProviderConnectionError);
  return attempts;
}

describe("retries of a provider that cannot be reached", () => {
  it("does not retry a host name that does not resolve, and still retries a refused connection", async () => {
    expect(await attemptsUntilFailure(lookupFailure("ENOTFOUND"))).toBe(1);
    // Wrapped the way fetch wraps it, the look-up failure is found down the cause chain.
    expect(await attemptsUntilFailure(new TypeError("fetch failed", { cause: lookupFailure("EAI_AGAIN") }))).toBe(1);
    const refused = Object.assign(new Error("connect ECONNREFUSED 127.0.0.1:9"), {
      code: "ECONNREFUSED",
      syscall: "connect",
    });
    expect(await attemptsUntilFailure(refused)).toBe(5);
  });

  it("names the whole cause of a failed fetch: `fetch failed: connect ECONNREFUSED 127.0.0.1:<port>`", async () => {
    const port = await closedPort();
    const failure = await fetch(`http://127.0.0.1:${port}/v1/chat/completions`).catch((error: unknown) => error);
    expect(causeChainMessage(failure)).toBe(`fetch failed: connect ECONNREFUSED 127.0.0.1:${port}`);
    const error = new ProviderConnectionError("deepseek", `http://127.0.0.1:${port}/v1/chat/completions`, failure);
    expect(error.message).toBe(
      `Could not reach deepseek at http://127.0.0.1:${port}/v1/chat/completions: fetch failed: connect ECONNREFUSED 127.0.0.1:${port}`,
    );
  });
});
