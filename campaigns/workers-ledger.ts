import { callRequestId } from "../src/agent/call-request-id.ts";
import { Usd } from "../src/cost/usd.ts";
import type { Store } from "../src/store/store.ts";

/** Steps billed at their upper bound because no usage came back (call-billing.ts): a kill cut the call off. */
const boundedFinishes = new Set(["lost-in-crash", "interrupted", "no-answer"]);

export interface LedgerComparison {
  /** Every ledger line (usageRows), summed. */
  ledgerUsd: string;
  /** What the model server billed, over every request it answered or began answering. */
  billedUsd: string;
  /** Calls the ledger settled from the reply's usage: each must equal the server's bill for its request id. */
  settledCalls: number;
  /** Calls a kill cut off, billed at their bound: the bound must cover the server's bill; the gap is reported. */
  cutOffCalls: { count: number; ledgerUsd: string; billedUsd: string; gapUsd: string };
  failures: string[];
}

/**
 * Matches each step of each run (one ledger line) to the server's bill for its request id: (a) a settled call
 * equals it exactly, (b) a cut-off call's bound is at least it, (c) no billed request lacks a ledger line and the
 * ledger total is never below the bill. Reads through the Store interface only.
 */
export async function compareLedgerWithBill(
  store: Store,
  runIds: readonly string[],
  billedByRequestId: ReadonlyMap<string, string>,
): Promise<LedgerComparison> {
  const failures: string[] = [];
  const matched = new Set<string>();
  let settledCalls = 0;
  const cutOff = { count: 0, ledger: [] as string[], billed: [] as string[] };
  const stepCosts: string[] = [];
  for (const runId of runIds) {
    for (const step of await store.listSteps(runId)) {
      const requestId = callRequestId(runId, step.index);
      matched.add(requestId);
      stepCosts.push(step.costUsd);
      const billed = billedByRequestId.get(requestId) ?? Usd.zero;
      if (boundedFinishes.has(step.finishReason)) {
        cutOff.count += 1;
        cutOff.ledger.push(step.costUsd);
        cutOff.billed.push(billed);
        if (Usd.compare(step.costUsd, billed) < 0) {
          failures.push(`${requestId} (${step.finishReason}): bound ${step.costUsd} is below the billed ${billed}`);
        }
      } else {
        settledCalls += 1;
        if (!Usd.equals(step.costUsd, billed)) {
          failures.push(`${requestId} (${step.finishReason}): ledger ${step.costUsd}, server billed ${billed}`);
        }
      }
    }
  }
  for (const [requestId, billed] of billedByRequestId) {
    if (!matched.has(requestId)) failures.push(`${requestId}: the server billed ${billed} and the ledger has no line`);
  }
  const ledgerUsd = Usd.sum((await store.usageRows()).map((row) => row.costUsd));
  const billedUsd = Usd.sum([...billedByRequestId.values()]);
  if (!Usd.equals(ledgerUsd, Usd.sum(stepCosts))) {
    failures.push(`the ledger lines sum to ${ledgerUsd} but the steps to ${Usd.sum(stepCosts)}`);
  }
  if (Usd.compare(ledgerUsd, billedUsd) < 0) failures.push(`ledger ${ledgerUsd} is below the billed ${billedUsd}`);
  const cutOffLedger = Usd.sum(cutOff.ledger);
  const cutOffBilled = Usd.sum(cutOff.billed);
  return {
    ledgerUsd,
    billedUsd,
    settledCalls,
    cutOffCalls: {
      count: cutOff.count,
      ledgerUsd: cutOffLedger,
      billedUsd: cutOffBilled,
      gapUsd: Usd.subtract(cutOffLedger, cutOffBilled),
    },
    failures,
  };
}
