import { Decimal } from "decimal.js";
import { affordableOutputTokens, worstCaseUsd } from "../cost/cost.ts";
import type { AppliedPrice } from "../cost/price.ts";
import type { ApiKeyRecord } from "../store/records.ts";
import type { Store } from "../store/store.ts";
import { BudgetExceededError } from "./gateway-errors.ts";

// Below this many output tokens an answer is useless; refuse instead of clamping (the agent loop uses the same floor).
const minimumUsefulOutputTokens = 64;

/** What a request may spend: the output allowance to send upstream, and the hold to give back when it is billed. */
export interface BudgetGrant {
  /** Sent as max_tokens; undefined leaves the upstream's default (keys without a budget). */
  maxOutputTokens: number | undefined;
  /** The allowance the caller wanted when the budget lowered it. */
  clampedFrom?: number;
  release(): void;
}

export interface BudgetedCall {
  /** An upper bound on the prompt's tokens; only computed for keys with a budget. */
  promptTokenBound: () => number;
  requestedOutputTokens: number | undefined;
  /** The model's default output allowance, used as the worst case when the caller sets none. */
  modelOutputTokens: number;
  price: AppliedPrice;
}

/**
 * Per-key budgets, checked before any upstream call. The worst case of a request (prompt bound at the miss
 * price plus every allowed output token) is held until the request is billed, so concurrent requests cannot
 * together spend past the budget.
 */
export class KeyBudget {
  private readonly held = new Map<string, Decimal>();

  constructor(private readonly store: Store) {}

  /** What the key may still spend (budget less spent less held), or undefined for a key without a budget. */
  remaining(key: ApiKeyRecord | undefined): string | undefined {
    if (key?.budgetUsd === undefined) return undefined;
    const { budget, spent, held } = this.standing(key, key.budgetUsd);
    return Decimal.max(budget.minus(spent).minus(held), 0).toFixed();
  }

  reserve(key: ApiKeyRecord | undefined, call: BudgetedCall): BudgetGrant {
    if (key?.budgetUsd === undefined) return { maxOutputTokens: call.requestedOutputTokens, release: () => {} };
    const { budget, spent, held } = this.standing(key, key.budgetUsd);
    const remaining = budget.minus(spent).minus(held);
    const wanted = call.requestedOutputTokens ?? call.modelOutputTokens;
    const promptTokens = call.promptTokenBound();
    const worstWanted = new Decimal(worstCaseUsd(promptTokens, wanted, call.price));
    // Most requests fit whole: one comparison instead of solving for the largest affordable allowance.
    const fits = remaining.isPositive() && worstWanted.lessThanOrEqualTo(remaining);
    const affordable = fits
      ? wanted
      : remaining.isPositive()
        ? affordableOutputTokens(promptTokens, remaining.toFixed(), call.price)
        : 0;
    const allowed = Math.min(wanted, affordable);
    if (allowed < Math.min(minimumUsefulOutputTokens, wanted) || allowed <= 0) {
      const worst = worstWanted.toFixed();
      throw new BudgetExceededError(
        `This request could cost up to $${worst} (prompt up to ${promptTokens} tokens at the cache-miss price plus ` +
          `${wanted} output tokens), more than the $${Decimal.max(remaining, 0).toFixed()} left of key ` +
          `${key.prefix}...'s $${budget.toFixed()} budget` +
          (held.isPositive() ? ` ($${held.toFixed()} is held by requests in flight)` : "") +
          ". Send a shorter prompt or a smaller max_tokens.",
      );
    }
    const hold = allowed === wanted ? worstWanted : new Decimal(worstCaseUsd(promptTokens, allowed, call.price));
    this.held.set(key.id, held.plus(hold));
    let released = false;
    return {
      maxOutputTokens: allowed,
      clampedFrom: allowed < wanted ? wanted : undefined,
      release: () => {
        if (released) return;
        released = true;
        const left = (this.held.get(key.id) ?? new Decimal(0)).minus(hold);
        if (left.isPositive()) this.held.set(key.id, left);
        else this.held.delete(key.id);
      },
    };
  }

  /** The key's budget, spend and holds; a key that has spent its budget is refused here. */
  private standing(key: ApiKeyRecord, budgetUsd: string) {
    const budget = new Decimal(budgetUsd);
    const spent = new Decimal(this.store.spentByKey(key.id));
    if (spent.greaterThanOrEqualTo(budget)) {
      throw new BudgetExceededError(
        `Key ${key.prefix}... has spent $${spent.toFixed()} of its $${budget.toFixed()} budget. ` +
          "Ask the operator to issue a key with a larger budget.",
      );
    }
    return { budget, spent, held: this.held.get(key.id) ?? new Decimal(0) };
  }
}
