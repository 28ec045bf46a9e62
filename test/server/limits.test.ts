import { describe, expect, it, vi } from "vitest";
import { priceAt } from "../../src/cost/price.ts";
import { emptyUsage } from "../../src/cost/usage.ts";
import { issueApiKey } from "../../src/server/index.ts";
import { KeyBudget } from "../../src/server/key-budget.ts";
import { KeyLimits } from "../../src/server/key-limits.ts";
import { RateLimiter } from "../../src/store/rate-limiter.ts";
import { SqliteStore } from "../../src/store/sqlite-store.ts";

describe("the requests-per-minute window", () => {
  it("counts the last 60 seconds and says when the oldest request leaves the window", () => {
    let now = 1_000_000;
    const limiter = new RateLimiter(() => now);
    expect(limiter.take("key", 2)).toEqual({ allowed: true });
    now += 10_000;
    expect(limiter.take("key", 2)).toEqual({ allowed: true });
    now += 5_000;
    expect(limiter.take("key", 2)).toEqual({ allowed: false, retryAfterSeconds: 45 });
    expect(limiter.take("other", 2)).toEqual({ allowed: true });
    now += 45_000;
    expect(limiter.take("key", 2)).toEqual({ allowed: true });
  });
});

describe("the concurrency slots", () => {
  it("gives a slot back once, however often release is called", async () => {
    const store = new SqliteStore(":memory:");
    const { record } = await issueApiKey(store, { concurrency: 2 });
    const limits = new KeyLimits(store);
    const caller = { key: record } as Parameters<KeyLimits["admit"]>[0];
    const first = await limits.admit(caller);
    const second = await limits.admit(caller);
    await expect(limits.admit(caller)).rejects.toMatchObject({ code: "concurrency_limit_exceeded" });
    first();
    first();
    expect(await limits.inFlight(record.id)).toBe(1);
    const third = await limits.admit(caller);
    expect(await limits.inFlight(record.id)).toBe(2);
    second();
    third();
    expect(await limits.inFlight(record.id)).toBe(0);
  });

  it("renews the slots it holds, and gives back later a slot whose release the store refused", async () => {
    // The renewal interval runs on fake timers, so a loaded machine cannot fire a retry before the checks below.
    vi.useFakeTimers({ toFake: ["setInterval", "clearInterval"] });
    try {
      const store = new SqliteStore(":memory:");
      const { record } = await issueApiKey(store, { concurrency: 1 });
      let now = 1_000_000;
      const limits = new KeyLimits(store, () => now, 90);
      const caller = { key: record } as Parameters<KeyLimits["admit"]>[0];
      const release = await limits.admit(caller);
      expect((await store.keySlots(record.id))[0]?.expiresAt).toBe(1_000_090);
      now = 2_000_000;
      await vi.advanceTimersByTimeAsync(30);
      expect((await store.keySlots(record.id))[0]?.expiresAt).toBe(2_000_090);
      const releaseKeySlot = store.releaseKeySlot.bind(store);
      let refusals = 0;
      store.releaseKeySlot = async (slotId) => {
        if (refusals++ === 0) throw new Error("database is locked");
        await releaseKeySlot(slotId);
      };
      release();
      await new Promise((resolve) => setImmediate(resolve));
      expect(await store.keySlots(record.id)).toHaveLength(1);
      await vi.advanceTimersByTimeAsync(30);
      expect(await store.keySlots(record.id)).toHaveLength(0);
      expect(refusals).toBe(2);
    } finally {
      vi.useRealTimers();
    }
  });

  it("costs a key without limits no store call", async () => {
    const store = new SqliteStore(":memory:");
    const { record } = await issueApiKey(store);
    store.admitKeyRequest = async () => {
      throw new Error("a key without limits reached the store");
    };
    const release = new KeyLimits(store).admit({ key: record } as Parameters<KeyLimits["admit"]>[0]);
    expect(typeof release).toBe("function");
  });
});

describe("the key budget", () => {
  const price = priceAt(
    [{ effectiveFrom: "2026-01-01", inputCacheHit: "0.1", inputCacheMiss: "1", output: "2" }],
    new Date(),
  )!;
  const call = (requestedOutputTokens?: number) => ({
    promptTokenBound: () => 1000,
    requestedOutputTokens,
    modelOutputTokens: 4000,
    price,
  });

  it("leaves keys without a budget alone", async () => {
    const store = new SqliteStore(":memory:");
    const { record } = await issueApiKey(store);
    const grant = await new KeyBudget(store).reserve(record, call(undefined));
    expect(grant.maxOutputTokens).toBeUndefined();
  });

  it("holds each request's worst case so concurrent requests cannot overspend together", async () => {
    const store = new SqliteStore(":memory:");
    // Worst case of one request: 1000 prompt tokens at $1/M + 1000 output at $2/M = $0.003.
    const { record } = await issueApiKey(store, { budgetUsd: "0.0065" });
    const budget = new KeyBudget(store);
    const first = await budget.reserve(record, call(1000));
    const second = await budget.reserve(record, call(1000));
    expect([first.maxOutputTokens, second.maxOutputTokens]).toEqual([1000, 1000]);
    // $0.0005 is left: 1000 prompt tokens alone cost $0.001, so nothing fits.
    await expect(budget.reserve(record, call(1000))).rejects.toThrow(/held by requests in flight/);
    await first.release();
    expect((await budget.reserve(record, call(1000))).maxOutputTokens).toBe(1000);
  });

  it("grants a request whose worst case is exactly what is left, and clamps one token more", async () => {
    const store = new SqliteStore(":memory:");
    const { record } = await issueApiKey(store, { budgetUsd: "0.003" });
    const budget = new KeyBudget(store);
    const exact = await budget.reserve(record, call(1000));
    expect(exact).toMatchObject({ maxOutputTokens: 1000, clampedFrom: undefined });
    await exact.release();
    expect(await budget.reserve(record, call(1001))).toMatchObject({ maxOutputTokens: 1000, clampedFrom: 1001 });
  });

  it("lowers the output allowance to what fits, and refuses below a useful answer", async () => {
    const store = new SqliteStore(":memory:");
    const { record } = await issueApiKey(store, { budgetUsd: "0.002" });
    const budget = new KeyBudget(store);
    // $0.002 - $0.001 prompt = $0.001 = 500 output tokens at $2/M.
    const grant = await budget.reserve(record, call(undefined));
    expect(grant).toMatchObject({ maxOutputTokens: 500, clampedFrom: 4000 });
    await grant.release();
    const tight = (await issueApiKey(store, { budgetUsd: "0.00105" })).record;
    await expect(budget.reserve(tight, call(undefined))).rejects.toThrow(/could cost up to/);
    // A caller that asks for fewer tokens than fit is not refused.
    expect((await budget.reserve(tight, call(20))).maxOutputTokens).toBe(20);
  });

  it("refuses once spent reaches the budget, whatever the request", async () => {
    const store = new SqliteStore(":memory:");
    const { record } = await issueApiKey(store, { budgetUsd: "0.001" });
    await store.recordLedger({
      at: new Date().toISOString(),
      keyId: record.id,
      model: "m",
      usage: emptyUsage(),
      costUsd: "0.001",
      price,
    });
    await expect(
      new KeyBudget(store).reserve(record, { ...call(1), price: { ...price, inputCacheMiss: "0", output: "0" } }),
    ).rejects.toThrow(/has spent \$0.001 of its \$0.001 budget/);
  });
});
