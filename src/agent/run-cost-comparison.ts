import { currentPriceRow, type PriceRow } from "../cost/price.ts";
import { costRatio, usageCostOnPriceRow } from "../cost/priced-usage.ts";
import { Usd } from "../cost/usd.ts";
import type { ModelEntry } from "../models/model-entry.ts";
import type { ReadOnlyCatalog } from "../models/read-only-catalog.ts";
import type { RunRecord, StepRecord } from "../store/records.ts";

/** One model's price for the run's tokens; `costUsd` and `ratio` are null, with a reason, when it has no price then. */
export interface ComparedModel {
  id: string;
  costUsd: string | null;
  /** costUsd as a multiple of the run's real cost (0.1 = a tenth); null when the run cost nothing or it is unpriced. */
  ratio: number | null;
  provider?: string;
  /** How the run's cache hits were priced on this model: at its cache-hit rate, or as misses when it has none. */
  cacheHits?: "cache-hit price" | "priced as misses: no cache discount";
  /** Why there is no cost: not in the catalog, retired, or no price at the run's date. */
  reason?: string;
}

/** `tansuo cost compare` and the viewer's "priced on other models": the same figures from this one function. */
export interface RunCostComparison {
  run: string;
  actualCostUsd: string;
  /** The run's model and the instant whose list prices were used (the run's start). */
  model: string;
  pricedAt: string;
  models: ComparedModel[];
}

function unpricedReason(entry: ModelEntry | undefined, id: string, at: Date): string | undefined {
  if (!entry) return `${id} is not in the catalog (see \`tansuo models\`).`;
  if (entry.retiredAt !== undefined && Date.parse(entry.retiredAt) <= at.getTime()) {
    return `${id} was retired on ${entry.retiredAt.slice(0, 10)}, before the run.`;
  }
  if (!currentPriceRow(entry.prices, at)) {
    const first = [...entry.prices].sort(
      (left, right) => Date.parse(left.effectiveFrom) - Date.parse(right.effectiveFrom),
    )[0];
    return first
      ? `${id} has no price before ${first.effectiveFrom.slice(0, 10)}, after the run's date.`
      : `${id} has no prices in the catalog.`;
  }
  return undefined;
}

/** Each step's real tokens (its cache hits included) at `row`'s list rates, summed exactly. */
const stepsCost = (steps: readonly StepRecord[], row: PriceRow): string =>
  Usd.sum(steps.map((step) => usageCostOnPriceRow(step.usage, row)));

/**
 * The run's real usage, step by step, priced on catalog models at the run's date, with the ratio to what it cost.
 * Without `modelIds`: every catalog model not retired and priced at that date. Priced models come cheapest first;
 * the unpriced ones follow in the order asked, each with its reason.
 */
export function compareRunCost(
  run: RunRecord,
  steps: readonly StepRecord[],
  catalog: ReadOnlyCatalog,
  modelIds?: readonly string[],
): RunCostComparison {
  const at = new Date(run.createdAt);
  const ids = modelIds ?? catalog.pricedAt(at).map(({ entry }) => entry.id);
  const priced: ComparedModel[] = [];
  const unpriced: ComparedModel[] = [];
  for (const id of ids) {
    const entry = catalog.find(id);
    const reason = unpricedReason(entry, id, at);
    const row = entry && currentPriceRow(entry.prices, at);
    if (reason !== undefined || !entry || !row) {
      unpriced.push({ id, costUsd: null, ratio: null, ...(entry ? { provider: entry.provider } : {}), reason });
      continue;
    }
    const costUsd = stepsCost(steps, row);
    priced.push({
      id,
      costUsd,
      ratio: costRatio(costUsd, run.costUsd),
      provider: entry.provider,
      cacheHits: Usd.equals(row.inputCacheHit, row.inputCacheMiss)
        ? "priced as misses: no cache discount"
        : "cache-hit price",
    });
  }
  priced.sort((left, right) => Usd.compare(left.costUsd!, right.costUsd!) || left.id.localeCompare(right.id));
  return {
    run: run.id,
    actualCostUsd: run.costUsd,
    model: run.settings.model,
    pricedAt: run.createdAt,
    models: [...priced, ...unpriced],
  };
}
