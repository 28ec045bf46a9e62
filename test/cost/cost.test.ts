import { describe, expect, it } from "vitest";
import { affordableOutputTokens, costOf, worstCaseUsd } from "../../src/cost/cost.ts";
import { type AppliedPrice, priceAt } from "../../src/cost/price.ts";
import { priceRowSchema } from "../../src/cost/price-row-schema.ts";
import { Usd } from "../../src/cost/usd.ts";
import { usageFromWire } from "../../src/cost/wire-usage.ts";
import { Catalog } from "../../src/models/catalog.ts";

const catalog = Catalog.builtIn();
const price = (id: string, at: string): AppliedPrice => {
  const entry = catalog.find(id);
  if (!entry) throw new Error(`no ${id}`);
  const applied = priceAt(entry.prices, new Date(at));
  if (!applied) throw new Error(`no price for ${id} at ${at}`);
  return applied;
};

describe("usage semantics, from exact wire shapes", () => {
  it("DeepSeek: hit + miss = prompt_tokens, reasoning billed as output", () => {
    // A deepseek-reasoner response body's usage, as the API reference documents it.
    const wire = {
      prompt_tokens: 1500,
      completion_tokens: 900,
      total_tokens: 2400,
      prompt_cache_hit_tokens: 1280,
      prompt_cache_miss_tokens: 220,
      completion_tokens_details: { reasoning_tokens: 700 },
    };
    const usage = usageFromWire("deepseek", wire);
    expect(usage).toEqual({
      inputTokens: 1500,
      cacheHitTokens: 1280,
      cacheMissTokens: 220,
      cacheWriteTokens: 0,
      outputTokens: 900,
      reasoningTokens: 700,
    });
    // V3.2 prices (from 2025-09-29): hit 0.028, miss 0.28, out 0.42 per 1M.
    const cost = costOf(usage, price("deepseek-reasoner", "2025-10-15T12:00:00Z"));
    // 1280 x 0.028 + 220 x 0.28 + 900 x 0.42 = 35.84 + 61.6 + 378 = 475.44 micro-dollars.
    expect(cost.inputCacheHitUsd).toBe("0.00003584");
    expect(cost.inputCacheMissUsd).toBe("0.0000616");
    expect(cost.outputUsd).toBe("0.000378");
    expect(cost.totalUsd).toBe("0.00047544");
    expect(cost.price.effectiveFrom).toBe("2025-09-29T00:00:00Z");
  });

  it("DeepSeek: falls back to cached_tokens, and bills a usage without a cache split as all miss", () => {
    expect(
      usageFromWire("deepseek", {
        prompt_tokens: 100,
        completion_tokens: 5,
        prompt_tokens_details: { cached_tokens: 64 },
      }),
    ).toMatchObject({ cacheHitTokens: 64, cacheMissTokens: 36 });
    const bare = usageFromWire("deepseek", { prompt_tokens: 1000, completion_tokens: 10 });
    expect(bare).toMatchObject({ inputTokens: 1000, cacheHitTokens: 0, cacheMissTokens: 1000 });
    expect(costOf(bare, price("deepseek-chat", "2025-10-01T00:00:00Z")).totalUsd).toBe("0.0002842");
  });

  it("OpenAI: cached_tokens is inside prompt_tokens", () => {
    const wire = {
      prompt_tokens: 2006,
      completion_tokens: 300,
      total_tokens: 2306,
      prompt_tokens_details: { cached_tokens: 1920, audio_tokens: 0 },
      completion_tokens_details: { reasoning_tokens: 128, audio_tokens: 0 },
    };
    const usage = usageFromWire("openai", wire);
    expect(usage).toMatchObject({
      inputTokens: 2006,
      cacheHitTokens: 1920,
      cacheMissTokens: 86,
      outputTokens: 300,
      reasoningTokens: 128,
    });
    // gpt-4o: cached 1.25, input 2.50, output 10 per 1M: 1920 x 1.25 + 86 x 2.5 + 300 x 10 = 2400 + 215 + 3000.
    expect(costOf(usage, price("gpt-4o", "2025-01-01T00:00:00Z")).totalUsd).toBe("0.005615");
  });

  it("Anthropic: cache reads and writes are outside input_tokens, writes at their own rate", () => {
    const wire = {
      input_tokens: 50,
      cache_creation_input_tokens: 2000,
      cache_read_input_tokens: 10000,
      output_tokens: 400,
    };
    const usage = usageFromWire("anthropic", wire);
    expect(usage).toEqual({
      inputTokens: 12050,
      cacheHitTokens: 10000,
      cacheMissTokens: 50,
      cacheWriteTokens: 2000,
      outputTokens: 400,
      reasoningTokens: 0,
    });
    // Sonnet 4.5: read 0.30, input 3, write 3.75, output 15: 3000 + 150 + 7500 + 6000 micro-dollars.
    const cost = costOf(usage, price("claude-sonnet-4-5", "2025-10-01T00:00:00Z"));
    expect(cost.cacheWriteUsd).toBe("0.0075");
    expect(cost.totalUsd).toBe("0.01665");
  });

  it("adds without float drift", () => {
    const usage = usageFromWire("deepseek", {
      prompt_tokens: 3,
      prompt_cache_hit_tokens: 1,
      prompt_cache_miss_tokens: 2,
      completion_tokens: 1,
    });
    const cost = costOf(usage, {
      effectiveFrom: "x",
      inputCacheHit: "0.1",
      inputCacheMiss: "0.2",
      output: "0.3",
      cacheWrite: "0.2",
      offPeak: false,
    });
    expect(cost.totalUsd).toBe("0.0000008");
  });
});

describe("dated prices", () => {
  it("re-prices a past run at the price of its day, off-peak windows included", () => {
    expect(price("deepseek-chat", "2025-01-10T12:00:00Z")).toMatchObject({ inputCacheMiss: "0.14", output: "0.28" });
    expect(price("deepseek-chat", "2025-02-10T12:00:00Z")).toMatchObject({ inputCacheMiss: "0.27", output: "1.10" });
    // 2025-03-01 17:00 UTC is inside the 16:30-00:30 off-peak window; 12:00 is not.
    expect(price("deepseek-chat", "2025-03-01T17:00:00Z")).toMatchObject({
      inputCacheMiss: "0.135",
      output: "0.55",
      offPeak: true,
    });
    expect(price("deepseek-chat", "2025-03-02T00:15:00Z")).toMatchObject({ offPeak: true });
    expect(price("deepseek-chat", "2025-03-01T12:00:00Z")).toMatchObject({ inputCacheMiss: "0.27", offPeak: false });
    expect(price("deepseek-reasoner", "2025-03-01T12:00:00Z")).toMatchObject({
      inputCacheMiss: "0.55",
      output: "2.19",
    });
    expect(price("deepseek-chat", "2025-09-06T12:00:00Z")).toMatchObject({
      inputCacheHit: "0.07",
      inputCacheMiss: "0.56",
      output: "1.68",
    });
    expect(price("deepseek-v4-flash", "2026-05-01T00:00:00Z")).toMatchObject({
      inputCacheHit: "0.0028",
      inputCacheMiss: "0.14",
    });
    expect(priceAt(catalog.find("deepseek-v4-flash")!.prices, new Date("2025-01-01"))).toBeUndefined();
  });

  it("rejects a malformed price row with the field named", () => {
    const result = priceRowSchema.safeParse({
      effectiveFrom: "yesterday",
      inputCacheHit: "-1",
      inputCacheMiss: "0.1",
      output: "x",
    });
    expect(result.success).toBe(false);
    expect(result.error?.issues.map((issue) => issue.path.join("."))).toEqual([
      "effectiveFrom",
      "inputCacheHit",
      "output",
    ]);
  });
});

describe("worst case", () => {
  const v32 = price("deepseek-chat", "2025-10-01T00:00:00Z");
  it("prices the whole prompt at the miss rate plus every output token", () => {
    expect(worstCaseUsd(10_000, 4096, v32)).toBe("0.00452032");
  });
  it("finds the largest output allowance that fits", () => {
    const tokens = affordableOutputTokens(10_000, "0.004", v32);
    expect(tokens).toBe(2857);
    expect(Usd.compare(worstCaseUsd(10_000, tokens, v32), "0.004")).toBeLessThanOrEqual(0);
    expect(Usd.compare(worstCaseUsd(10_000, tokens + 1, v32), "0.004")).toBe(1);
    expect(affordableOutputTokens(10_000, "0.001", v32)).toBe(0);
  });
});
