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

/** What a gateway call costs, at the price in force when it was made. */
export const priceCall = (call: BilledCall): CallCost => costOf(call.usage, call.model.priceAt(call.at));

/** Writes a priced call to the ledger that CLI runs use too, settling its budget hold in the same write. */
export async function recordCall(
  store: Store,
  call: BilledCall,
  cost: CallCost,
  settlesHoldId?: string,
): Promise<void> {
  await store.recordLedger(
    {
      at: call.at.toISOString(),
      keyId: call.keyId,
      model: call.modelId,
      usage: call.usage,
      costUsd: cost.totalUsd,
      price: cost.price,
    },
    settlesHoldId,
  );
}
