import { Decimal } from "decimal.js";
import { affordableOutputTokens, compareUsd } from "../cost/cost.ts";
import type { AppliedPrice } from "../cost/price.ts";

// Below this many output tokens a call cannot do useful work; the run stops instead.
export const minimumUsefulOutputTokens = 64;

export type BudgetDecision = { allowed: true; maxOutputTokens: number } | { allowed: false; reason: string };

/**
 * Before each model call: the worst case (whole prompt at the miss price, every output token at the output price)
 * must fit what is left, so the run never spends past its budget. Output is lowered to fit when it can be.
 */
export function decideBudget(options: {
  budgetUsd: string | undefined;
  spentUsd: string;
  promptTokens: number;
  wantedOutputTokens: number;
  price: AppliedPrice;
}): BudgetDecision {
  if (options.budgetUsd === undefined) return { allowed: true, maxOutputTokens: options.wantedOutputTokens };
  const remaining = new Decimal(options.budgetUsd).minus(options.spentUsd);
  if (compareUsd(remaining.toFixed(), "0") <= 0) {
    return { allowed: false, reason: `budget of $${options.budgetUsd} is spent ($${options.spentUsd})` };
  }
  const affordable = affordableOutputTokens(options.promptTokens, remaining.toFixed(), options.price);
  const maxOutputTokens = Math.min(options.wantedOutputTokens, affordable);
  if (maxOutputTokens < Math.min(minimumUsefulOutputTokens, options.wantedOutputTokens)) {
    return {
      allowed: false,
      reason:
        `the next call could cost more than the $${remaining.toFixed()} left of the $${options.budgetUsd} budget ` +
        `(prompt up to ${options.promptTokens} tokens at the cache-miss price plus output)`,
    };
  }
  return { allowed: true, maxOutputTokens };
}
