import { type CallCost, costOf } from "../cost/cost.ts";
import type { TokenUsage } from "../cost/usage.ts";
import type { ResolvedModel } from "../models/resolved-model.ts";
import type { Store } from "../store/store.ts";

export interface BilledCall {
  /** When the request was made: the price in force then is the one billed. */
  at: Date;
  keyId: string | undefined;
  modelId: string;
  model: ResolvedModel;
  usage: TokenUsage;
}

/** Prices one gateway call and writes it to the ledger that CLI runs use too. */
export function billCall(store: Store, call: BilledCall): CallCost {
  const cost = costOf(call.usage, call.model.priceAt(call.at));
  store.recordLedger({
    at: call.at.toISOString(),
    keyId: call.keyId,
    model: call.modelId,
    usage: call.usage,
    costUsd: cost.totalUsd,
    price: cost.price,
  });
  return cost;
}
