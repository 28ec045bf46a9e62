import { costOf } from "./cost.ts";
import type { PriceRow } from "./price.ts";
import type { TokenUsage } from "./usage.ts";
import { Usd, usd } from "./usd.ts";

/**
 * What `usage` costs at a price row's list rates (no time-of-day discount): the one comparison of a run's tokens
 * across models, used by the viewer's "priced on other models" and `tansuo cost compare`.
 */
export function usageCostOnPriceRow(usage: TokenUsage, row: PriceRow): Usd {
  return usd(
    costOf(usage, {
      effectiveFrom: row.effectiveFrom,
      inputCacheHit: row.inputCacheHit,
      inputCacheMiss: row.inputCacheMiss,
      output: row.output,
      cacheWrite: row.cacheWrite ?? row.inputCacheMiss,
      offPeak: false,
    }).totalUsd,
  );
}

/** `cost` as a multiple of `actual` (0.25 = a quarter of it), to 4 decimal places; null when `actual` is 0. */
export const costRatio = (cost: string, actual: string): number | null =>
  Usd.isZero(actual) ? null : Usd.ratio(cost, actual, 4);
