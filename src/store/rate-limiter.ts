import { retryAfterSeconds, keyRequestWindowMilliseconds as windowMilliseconds } from "./key-admission.ts";

/** Requests per minute per key, counted over a sliding window of the last 60 seconds (in memory). */
export class RateLimiter {
  private readonly recent = new Map<string, number[]>();

  constructor(private readonly now: () => number = Date.now) {}

  /** Counts one request, or says how many whole seconds until the oldest counted request leaves the window. */
  take(
    keyId: string,
    requestsPerMinute: number,
    now = this.now(),
  ): { allowed: true } | { allowed: false; retryAfterSeconds: number } {
    let times = this.recent.get(keyId);
    if (!times) {
      times = [];
      this.recent.set(keyId, times);
    }
    let expired = 0;
    while (expired < times.length && times[expired]! <= now - windowMilliseconds) expired++;
    if (expired > 0) times.splice(0, expired);
    if (times.length >= requestsPerMinute) {
      const oldest = times[times.length - requestsPerMinute]!;
      return { allowed: false, retryAfterSeconds: retryAfterSeconds(oldest, now) };
    }
    times.push(now);
    return { allowed: true };
  }
}
