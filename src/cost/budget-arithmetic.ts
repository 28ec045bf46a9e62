import { Usd, type UsdInput } from "./usd.ts";

/** What a budget still allows: the budget less what is spent and what is held for calls in flight, at least 0. */
export const remainingUsd = (budgetUsd: UsdInput, spentUsd: UsdInput, heldUsd: UsdInput): Usd =>
  Usd.max([Usd.subtract(Usd.subtract(budgetUsd, spentUsd), heldUsd), Usd.zero]);

/** True when one more hold of `amountUsd` keeps spent + held within the budget (equal is within). */
export const holdFits = (budgetUsd: UsdInput, spentUsd: UsdInput, heldUsd: UsdInput, amountUsd: UsdInput): boolean =>
  Usd.compare(Usd.sum([spentUsd, heldUsd, amountUsd]), budgetUsd) <= 0;

/** True once what is spent has reached the budget: nothing can be held against it any more. */
export const budgetIsSpent = (budgetUsd: UsdInput, spentUsd: UsdInput): boolean =>
  Usd.compare(spentUsd, budgetUsd) >= 0;
