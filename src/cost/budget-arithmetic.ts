import { Decimal } from "decimal.js";

/** What a budget still allows: the budget less what is spent and what is held for calls in flight, at least 0. */
export const remainingUsd = (budgetUsd: string, spentUsd: string, heldUsd: string): string =>
  Decimal.max(new Decimal(budgetUsd).minus(spentUsd).minus(heldUsd), 0).toFixed();

/** True when one more hold of `amountUsd` keeps spent + held within the budget (equal is within). */
export const holdFits = (budgetUsd: string, spentUsd: string, heldUsd: string, amountUsd: string): boolean =>
  new Decimal(spentUsd).plus(heldUsd).plus(amountUsd).lessThanOrEqualTo(budgetUsd);

/** True once what is spent has reached the budget: nothing can be held against it any more. */
export const budgetIsSpent = (budgetUsd: string, spentUsd: string): boolean =>
  new Decimal(spentUsd).greaterThanOrEqualTo(budgetUsd);

/** The smallest of several amounts, as written by decimal.js (a number from config becomes an exact decimal). */
export const minimumUsd = (amounts: readonly string[]): string =>
  Decimal.min(...amounts.map((amount) => new Decimal(amount))).toFixed();
