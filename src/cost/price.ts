import type { PriceRow } from "./price-row-schema.ts";

export type { PriceRow, PriceRowInput } from "./price-row-schema.ts";

/** The rates that apply at one instant, after history and time-of-day windows are resolved. */
export interface AppliedPrice {
  effectiveFrom: string;
  inputCacheHit: string;
  inputCacheMiss: string;
  output: string;
  cacheWrite: string;
  offPeak: boolean;
}

const minutesOfDay = (hhmm: string): number => {
  const [hours, minutes] = hhmm.split(":").map(Number);
  return (hours ?? 0) * 60 + (minutes ?? 0);
};

function inWindow(at: Date, fromUtc: string, toUtc: string): boolean {
  const now = at.getUTCHours() * 60 + at.getUTCMinutes();
  const from = minutesOfDay(fromUtc);
  const to = minutesOfDay(toUtc);
  return from <= to ? now >= from && now < to : now >= from || now < to;
}

/** The price in force at `at`: the latest row whose effectiveFrom is not after it. */
export function priceAt(history: readonly PriceRow[], at: Date): AppliedPrice | undefined {
  const chosen = currentPriceRow(history, at);
  if (!chosen) return undefined;
  const window =
    chosen.offPeak && inWindow(at, chosen.offPeak.fromUtc, chosen.offPeak.toUtc) ? chosen.offPeak : undefined;
  return {
    effectiveFrom: chosen.effectiveFrom,
    inputCacheHit: window?.inputCacheHit ?? chosen.inputCacheHit,
    inputCacheMiss: window?.inputCacheMiss ?? chosen.inputCacheMiss,
    output: window?.output ?? chosen.output,
    cacheWrite: chosen.cacheWrite ?? chosen.inputCacheMiss,
    offPeak: window !== undefined,
  };
}

export const freePrice = (effectiveFrom = "1970-01-01"): AppliedPrice => ({
  effectiveFrom,
  inputCacheHit: "0",
  inputCacheMiss: "0",
  output: "0",
  cacheWrite: "0",
  offPeak: false,
});

/** The price row in force at `at` (the latest whose effectiveFrom is not after it); undefined before the first. */
export function currentPriceRow(history: readonly PriceRow[], at: Date): PriceRow | undefined {
  let chosen: PriceRow | undefined;
  for (const row of history) {
    if (Date.parse(row.effectiveFrom) > at.getTime()) continue;
    if (!chosen || Date.parse(row.effectiveFrom) >= Date.parse(chosen.effectiveFrom)) chosen = row;
  }
  return chosen;
}
