import { ConcurrencyLimiter } from "./concurrency-limiter.ts";
import type { Caller } from "./gateway-env.ts";
import { RateLimitError } from "./gateway-errors.ts";
import { RateLimiter } from "./rate-limiter.ts";

const noLimit = () => {};

/** A key's requests-per-minute and concurrency limits, checked before any model work starts. */
export class KeyLimits {
  private readonly rate: RateLimiter;
  private readonly concurrency = new ConcurrencyLimiter();

  constructor(now: () => number = Date.now) {
    this.rate = new RateLimiter(now);
  }

  /** Counts the request and takes a concurrency slot; the returned function gives the slot back. */
  admit(caller: Caller): () => void {
    const key = caller.key;
    if (!key) return noLimit;
    if (key.requestsPerMinute !== undefined) {
      const decision = this.rate.take(key.id, key.requestsPerMinute);
      if (!decision.allowed) {
        throw new RateLimitError(
          `Key ${key.prefix}... is limited to ${key.requestsPerMinute} requests per minute. ` +
            `Retry in ${decision.retryAfterSeconds} s.`,
          { code: "rate_limit_exceeded", retryAfterSeconds: decision.retryAfterSeconds },
        );
      }
    }
    if (key.concurrency === undefined) return noLimit;
    const release = this.concurrency.acquire(key.id, key.concurrency);
    if (!release) {
      throw new RateLimitError(
        `Key ${key.prefix}... already has ${key.concurrency} requests in flight, its concurrency limit. ` +
          "Wait for one to finish, then retry.",
        { code: "concurrency_limit_exceeded", retryAfterSeconds: 1 },
      );
    }
    return release;
  }

  inFlight(keyId: string): number {
    return this.concurrency.count(keyId);
  }
}
