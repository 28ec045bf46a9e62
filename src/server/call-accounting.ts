import type { CallCost } from "../cost/cost.ts";
import type { TokenUsage } from "../cost/usage.ts";
import type { Store } from "../store/store.ts";
import type { ModelCallTrace } from "../telemetry/telemetry.ts";
import type { BilledUsage } from "./answer-format.ts";
import type { PricedCall } from "./answer-stream.ts";
import type { BudgetGrant } from "./key-budget.ts";
import { type BilledCall, priceCall, recordCall } from "./meter.ts";

/**
 * The accounting of one model call: its ledger row, budget hold and concurrency slot. The hold is settled by the
 * write of the row (one transaction), so a failed write cannot free budget; the slot is given back in any case.
 */
export class CallAccounting {
  private ended = false;

  constructor(
    private readonly store: Store,
    private readonly call: Omit<BilledCall, "usage">,
    private readonly grant: BudgetGrant,
    private readonly releaseResources: () => void,
    /** The call's `chat` span (telemetry), ended with what the ledger recorded. */
    private readonly trace?: ModelCallTrace,
  ) {}

  /** Prices and records the call at once, ends its accounting, and returns what was billed. */
  async bill(usage: TokenUsage): Promise<BilledUsage> {
    const priced = await this.price(usage);
    await priced.record();
    return priced.billed;
  }

  /** Prices the call now; `record` writes the row later (a stream records once its answer is out). */
  async price(usage: TokenUsage): Promise<PricedCall> {
    let cost: CallCost;
    try {
      cost = priceCall({ ...this.call, usage });
    } catch (error) {
      await this.settle();
      throw error;
    }
    return {
      billed: { usage, costUsd: cost.totalUsd },
      record: async () => {
        if (this.ended) return;
        this.ended = true;
        try {
          await recordCall(this.store, { ...this.call, usage }, cost, this.grant.holdId);
        } catch (error) {
          this.trace?.fail(error);
          throw error;
        } finally {
          this.trace?.end({ usage, costUsd: cost.totalUsd });
          this.releaseResources();
        }
      },
    };
  }

  /** Ends the accounting of a call that is not billed: its hold is given back. */
  async settle(): Promise<void> {
    if (this.ended) return;
    this.ended = true;
    try {
      await this.grant.release();
    } finally {
      this.trace?.end();
      this.releaseResources();
    }
  }
}
