import { Decimal } from "decimal.js";
import type { AppliedPrice } from "./price.ts";
import type { TokenUsage } from "./usage.ts";

const perMillion = new Decimal(1_000_000);

/** The money of one model call, each part an exact decimal string in USD. */
export interface CallCost {
  totalUsd: string;
  inputCacheHitUsd: string;
  inputCacheMissUsd: string;
  cacheWriteUsd: string;
  outputUsd: string;
  /** The price row billed, kept so a past run can be re-priced or audited. */
  price: AppliedPrice;
}

const part = (tokens: number, usdPerMillion: string): Decimal =>
  new Decimal(tokens).mul(new Decimal(usdPerMillion)).div(perMillion);

/** Usage to money: the one place cost is computed. Reasoning tokens are inside outputTokens and billed as output. */
export function costOf(usage: TokenUsage, price: AppliedPrice): CallCost {
  const hit = part(usage.cacheHitTokens, price.inputCacheHit);
  const miss = part(usage.cacheMissTokens, price.inputCacheMiss);
  const write = part(usage.cacheWriteTokens, price.cacheWrite);
  const output = part(usage.outputTokens, price.output);
  return {
    totalUsd: hit.plus(miss).plus(write).plus(output).toFixed(),
    inputCacheHitUsd: hit.toFixed(),
    inputCacheMissUsd: miss.toFixed(),
    cacheWriteUsd: write.toFixed(),
    outputUsd: output.toFixed(),
    price,
  };
}

/** The most a call can cost: the whole prompt at the miss price and every allowed output token. */
export function worstCaseUsd(promptTokens: number, maxOutputTokens: number, price: AppliedPrice): string {
  return part(promptTokens, Decimal.max(price.inputCacheMiss, price.cacheWrite).toString())
    .plus(part(maxOutputTokens, price.output))
    .toFixed();
}

/** The largest output allowance that keeps the worst case within `remainingUsd`, or 0. */
export function affordableOutputTokens(promptTokens: number, remainingUsd: string, price: AppliedPrice): number {
  const promptWorst = part(promptTokens, Decimal.max(price.inputCacheMiss, price.cacheWrite).toString());
  const left = new Decimal(remainingUsd).minus(promptWorst);
  if (left.isNegative()) return 0;
  if (new Decimal(price.output).isZero()) return Number.MAX_SAFE_INTEGER;
  return left.mul(perMillion).div(price.output).floor().toNumber();
}
