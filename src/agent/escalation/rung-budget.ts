import { remainingUsd } from "../../cost/budget-arithmetic.ts";
import { worstCaseUsd } from "../../cost/cost.ts";
import { priceAt } from "../../cost/price.ts";
import { Usd } from "../../cost/usd.ts";
import type { ResolvedModel } from "../../models/resolved-model.ts";
import type { BudgetAccount } from "../../store/budget-records.ts";
import type { RunRecord } from "../../store/records.ts";
import type { Store } from "../../store/store.ts";

/**
 * Why the run's budgets (its own, its key's) cannot pay for the next call's worst case on this model (the whole
 * prompt at the cache-miss price plus its full default output), or undefined when they can. The same worst case
 * the budget gate holds, so a run never climbs to a rung whose first call the gate would have to refuse or clamp.
 */
export async function rungUnaffordable(
  store: Store,
  run: RunRecord,
  target: ResolvedModel,
  promptTokens: number,
): Promise<string | undefined> {
  if (run.settings.budgetUsd === undefined && run.ownerKeyId === undefined) return undefined;
  const accounts: BudgetAccount[] = [{ kind: "run", id: run.id }];
  if (run.ownerKeyId !== undefined) accounts.push({ kind: "key", id: run.ownerKeyId });
  const limited = (await store.budgetStandings(accounts)).filter((standing) => standing.budgetUsd !== undefined);
  if (limited.length === 0) return undefined;
  const price = priceAt(target.entry.prices, new Date());
  if (price === undefined) return `${target.entry.id} has no price in the catalog, so the budget cannot pay for it`;
  const outputTokens = target.entry.defaultOutputTokens ?? target.entry.maxOutputTokens;
  const worst = worstCaseUsd(promptTokens, outputTokens, price);
  const left = Usd.min(
    limited.map((standing) => remainingUsd(standing.budgetUsd!, standing.spentUsd, standing.heldUsd)),
  );
  if (Usd.compare(left, worst) >= 0) return undefined;
  return `budget left ${Usd.format(left)} cannot pay for ${target.entry.id}'s worst case (${Usd.format(worst)})`;
}
