import { remainingUsd } from "../../cost/budget-arithmetic.ts";
import { worstCaseUsd } from "../../cost/cost.ts";
import type { AppliedPrice } from "../../cost/price.ts";
import { Usd } from "../../cost/usd.ts";
import type { RunRecord } from "../../store/records.ts";
import type { Store } from "../../store/store.ts";

export interface NextCall {
  promptTokens: number;
  wantedOutputTokens: number;
  price: AppliedPrice;
  contextWindow: number;
}

/** Why to compact: near the window a compaction must happen; under budget pressure only one that pays. */
export interface CompactionTrigger {
  kind: "window" | "budget";
  reason: string;
}

/**
 * Why the run should compact before its next call, or undefined: the prompt nears the window
 * (`compaction.windowShare`), or the call's worst case passes `compaction.budgetShare` of the budget left.
 */
export async function compactionReason(
  store: Store,
  run: RunRecord,
  call: NextCall,
  shares: { windowShare: number; budgetShare: number },
): Promise<CompactionTrigger | undefined> {
  const windowLimit = Math.floor(call.contextWindow * shares.windowShare);
  if (call.promptTokens > windowLimit) {
    const reason = `the next prompt (up to ${call.promptTokens} tokens) passes ${shares.windowShare} of the ${call.contextWindow}-token window`;
    return { kind: "window", reason };
  }
  const budgetUsd = run.settings.budgetUsd;
  if (budgetUsd === undefined) return undefined;
  const [standing] = await store.budgetStandings([{ kind: "run", id: run.id }]);
  if (!standing) return undefined;
  const left = remainingUsd(budgetUsd, standing.spentUsd, standing.heldUsd);
  const worst = worstCaseUsd(call.promptTokens, call.wantedOutputTokens, call.price);
  if (Usd.compare(worst, Usd.times(left, shares.budgetShare)) <= 0) return undefined;
  return {
    kind: "budget",
    reason: `the next call's worst case ($${worst}) passes ${shares.budgetShare} of the $${left} budget left`,
  };
}
