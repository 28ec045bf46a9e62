import { holdFits } from "../cost/budget-arithmetic.ts";

/**
 * A budget money is spent from: an API key's (`api_keys.budget_usd`) or a run's (`settings.budgetUsd`). A call
 * holds against every budget it spends from, so a sub-run can later add its parent run's.
 */
export type BudgetAccount = { kind: "key"; id: string } | { kind: "run"; id: string };

/** Where one budget stands; `budgetUsd` is undefined for an account without a budget (nothing is refused). */
export interface BudgetStanding {
  account: BudgetAccount;
  budgetUsd: string | undefined;
  spentUsd: string;
  /** Worst cases held by calls in flight, not yet settled to their real cost. */
  heldUsd: string;
}

/** A call's worst case, to be held before the call starts and settled by the ledger row that bills it. */
export interface BudgetHoldRequest {
  id: string;
  /** The process that holds it (`host:pid`): once that process is provably gone, its holds are swept. */
  owner: string;
  /**
   * The run making the call: the run's next step commit settles the hold, and a new hold of the run replaces an
   * older one (a run makes one call at a time, so an older hold is a leftover).
   */
  runId?: string;
  accounts: BudgetAccount[];
  amountUsd: string;
}

/** A hold is taken whole or not at all; a refusal names the first budget it would have passed. */
export type BudgetHoldResult = { held: true } | { held: false; refusedBy: BudgetStanding; standings: BudgetStanding[] };

/** The first budget a hold of `amountUsd` would pass, if any: the one refusal rule every store applies. */
export const refusingBudget = (standings: readonly BudgetStanding[], amountUsd: string): BudgetStanding | undefined =>
  standings.find(
    (standing) =>
      standing.budgetUsd !== undefined && !holdFits(standing.budgetUsd, standing.spentUsd, standing.heldUsd, amountUsd),
  );
