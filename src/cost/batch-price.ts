import type { AppliedPrice } from "./price.ts";
import { currentPriceRow, type PriceRow } from "./price.ts";
import { Usd } from "./usd.ts";

/**
 * The rates a batch sent at `at` is billed: the row in force times its `batch` share (off-peak windows do not
 * apply to batches); undefined when the row names no batch share, as for providers without a batch API.
 */
export function batchPriceAt(history: readonly PriceRow[], at: Date): AppliedPrice | undefined {
  const row = currentPriceRow(history, at);
  const share = row?.batch;
  if (!row || share === undefined) return undefined;
  const times = (rate: string) => Usd.times(rate, share).toString();
  return {
    effectiveFrom: row.effectiveFrom,
    inputCacheHit: times(row.inputCacheHit),
    inputCacheMiss: times(row.inputCacheMiss),
    output: times(row.output),
    cacheWrite: times(row.cacheWrite ?? row.inputCacheMiss),
    offPeak: false,
  };
}
