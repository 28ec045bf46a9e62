import { holdCallBudget } from "../agent/budget-gate.ts";
import { budgetIsSpent, remainingUsd } from "../cost/budget-arithmetic.ts";
import type { AppliedPrice } from "../cost/price.ts";
import { Usd } from "../cost/usd.ts";
import type { BudgetStanding } from "../store/budget-records.ts";
import type { ApiKeyRecord } from "../store/records.ts";
import type { Store } from "../store/store.ts";
import { BudgetExceededError } from "./gateway-errors.ts";

/** What a request may spend: the output allowance to send upstream, and the hold its ledger row settles. */
export interface BudgetGrant {
  /** Sent as max_tokens; undefined leaves the upstream's default (keys without a budget). */
  maxOutputTokens: number | undefined;
  /** The allowance the caller wanted when the budget lowered it. */
  clampedFrom?: number;
  /** The store's hold of the request's worst case, settled by the ledger row that bills it; none without a budget. */
  holdId: string | undefined;
  /** Gives the hold back, for a request that ends without being billed. */
  release(): Promise<void>;
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
 * Per-key budgets, checked before any upstream call. The worst case of a request (prompt bound at the miss price
 * plus every allowed output token) is held in the store until the request is billed, against the same budget the
 * key's agent runs hold against, in every process that shares the database: together they cannot spend past it.
 */
export class KeyBudget {
  constructor(private readonly store: Store) {}

  /** What the key may still spend (budget less spent less held), or undefined for a key without a budget. */
  async remaining(key: ApiKeyRecord | undefined): Promise<string | undefined> {
    if (key?.budgetUsd === undefined) return undefined;
    const standing = await this.standing(key);
    return remainingUsd(standing.budgetUsd ?? key.budgetUsd, standing.spentUsd, standing.heldUsd);
  }

  /** Refuses (402) a key that has spent its whole budget, before a run is even created for it. */
  async refuseIfSpent(key: ApiKeyRecord | undefined): Promise<void> {
    if (key?.budgetUsd !== undefined) await this.standing(key);
  }

  async reserve(key: ApiKeyRecord | undefined, call: BudgetedCall): Promise<BudgetGrant> {
    if (key?.budgetUsd === undefined) {
      return { maxOutputTokens: call.requestedOutputTokens, holdId: undefined, release: async () => {} };
    }
    const wanted = call.requestedOutputTokens ?? call.modelOutputTokens;
    const promptTokens = call.promptTokenBound();
    const budget = await holdCallBudget(this.store, {
      accounts: [{ kind: "key", id: key.id }],
      promptTokens,
      wantedOutputTokens: wanted,
      price: call.price,
    });
    if (!budget.allowed) {
      const { refusal } = budget;
      if (refusal.spent) throw spentError(key, refusal.standing);
      const { budgetUsd, heldUsd } = refusal.standing;
      throw new BudgetExceededError(
        `This request could cost up to $${refusal.wantedWorstUsd} (prompt up to ${promptTokens} tokens at the ` +
          `cache-miss price plus ${wanted} output tokens), more than the $${refusal.remainingUsd} left of key ` +
          `${key.prefix}...'s $${budgetUsd} budget` +
          (Usd.isPositive(heldUsd) ? ` ($${heldUsd} is held by requests in flight)` : "") +
          ". Send a shorter prompt or a smaller max_tokens.",
      );
    }
    const { holdId } = budget;
    let released = false;
    return {
      maxOutputTokens: budget.maxOutputTokens,
      clampedFrom: budget.maxOutputTokens < wanted ? wanted : undefined,
      holdId,
      release: async () => {
        if (released || holdId === undefined) return;
        released = true;
        await this.store.releaseBudgetHold(holdId);
      },
    };
  }

  /** The key's standing; a key that has spent its budget is refused here. */
  private async standing(key: ApiKeyRecord): Promise<BudgetStanding> {
    const [standing] = await this.store.budgetStandings([{ kind: "key", id: key.id }]);
    if (standing?.budgetUsd !== undefined && budgetIsSpent(standing.budgetUsd, standing.spentUsd)) {
      throw spentError(key, standing);
    }
    return standing!;
  }
}

function spentError(key: ApiKeyRecord, standing: BudgetStanding): BudgetExceededError {
  return new BudgetExceededError(
    `Key ${key.prefix}... has spent $${standing.spentUsd} of its $${standing.budgetUsd} budget. ` +
      "Ask the operator to issue a key with a larger budget.",
  );
}
