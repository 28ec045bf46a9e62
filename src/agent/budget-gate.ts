import { randomUUID } from "node:crypto";
import { setTimeout as sleep } from "node:timers/promises";
import { budgetIsSpent, remainingUsd } from "../cost/budget-arithmetic.ts";
import { affordableOutputTokens, worstCaseUsd } from "../cost/cost.ts";
import type { AppliedPrice } from "../cost/price.ts";
import { Usd } from "../cost/usd.ts";
import type { BudgetAccount, BudgetStanding } from "../store/budget-records.ts";
import { processOwner } from "../store/process-owner.ts";
import type { RunRecord } from "../store/records.ts";
import type { Store } from "../store/store.ts";

// Below this many output tokens a call cannot do useful work: it is refused instead of clamped (runs and gateway).
export const minimumUsefulOutputTokens = 64;

// Another process may take money between the read and the hold; the hold is then planned again from what it read.
const holdAttempts = 5;
// A run refused only because other calls hold the money waits this long at most for them to settle.
const defaultWaitForHoldsMilliseconds = 60_000;
const longestPauseMilliseconds = 250;

/** A model call about to be made: its prompt bound, the output it would like, and the price in force. */
export interface CallToHold {
  /** Every budget the call spends from (the run's, its key's; later a parent run's). */
  accounts: BudgetAccount[];
  /** The run making the call: its next step commit settles the hold. */
  runId?: string;
  promptTokens: number;
  wantedOutputTokens: number;
  price: AppliedPrice;
}

/** Why a call cannot be held: the budget that cannot pay, and how the call compares with what it has left. */
export interface BudgetRefusal {
  standing: BudgetStanding & { budgetUsd: string };
  remainingUsd: string;
  /** Spent alone has reached the budget: no hold in flight will give anything back. */
  spent: boolean;
  /** The call would fit once the other calls' holds are settled (each can only cost its hold or less). */
  fitsOnceSettled: boolean;
  /** The worst case of the call with the output it wanted. */
  wantedWorstUsd: string;
}

export type CallBudget =
  | { allowed: true; maxOutputTokens: number; holdId: string | undefined }
  | { allowed: false; refusal: BudgetRefusal };

type Plan =
  | { kind: "unlimited" }
  | { kind: "refused"; refusal: BudgetRefusal }
  | { kind: "hold"; maxOutputTokens: number; amountUsd: string };

/**
 * Before a model call: its worst case (the whole prompt at the cache-miss price, every allowed output token at the
 * output price) is held in the store against every budget it spends from, atomically, so concurrent calls of any
 * runs and requests cannot together spend past one. Output is lowered to what every budget allows when it can be.
 */
export async function holdCallBudget(store: Store, call: CallToHold): Promise<CallBudget> {
  let standings = await store.budgetStandings(call.accounts);
  for (let attempt = 1; ; attempt++) {
    const plan = planHold(standings, call);
    if (plan.kind === "unlimited")
      return { allowed: true, maxOutputTokens: call.wantedOutputTokens, holdId: undefined };
    if (plan.kind === "refused") return { allowed: false, refusal: plan.refusal };
    const holdId = `hold_${randomUUID().replaceAll("-", "")}`;
    const result = await store.holdBudget({
      id: holdId,
      owner: processOwner(),
      runId: call.runId,
      accounts: call.accounts,
      amountUsd: plan.amountUsd,
    });
    if (result.held) return { allowed: true, maxOutputTokens: plan.maxOutputTokens, holdId };
    if (attempt === holdAttempts) return { allowed: false, refusal: refusalOf(result.refusedBy, call) };
    standings = result.standings;
  }
}

function planHold(standings: BudgetStanding[], call: CallToHold): Plan {
  const limited = standings.filter(
    (standing): standing is BudgetStanding & { budgetUsd: string } => standing.budgetUsd !== undefined,
  );
  if (limited.length === 0) return { kind: "unlimited" };
  let tightest: { standing: BudgetStanding & { budgetUsd: string }; affordable: number } | undefined;
  for (const standing of limited) {
    if (budgetIsSpent(standing.budgetUsd, standing.spentUsd))
      return { kind: "refused", refusal: refusalOf(standing, call) };
    const left = remainingUsd(standing.budgetUsd, standing.spentUsd, standing.heldUsd);
    const affordable = affordableOutputTokens(call.promptTokens, left, call.price);
    if (!tightest || affordable < tightest.affordable) tightest = { standing, affordable };
  }
  const maxOutputTokens = Math.min(call.wantedOutputTokens, tightest!.affordable);
  if (maxOutputTokens <= 0 || maxOutputTokens < Math.min(minimumUsefulOutputTokens, call.wantedOutputTokens)) {
    return { kind: "refused", refusal: refusalOf(tightest!.standing, call) };
  }
  return { kind: "hold", maxOutputTokens, amountUsd: worstCaseUsd(call.promptTokens, maxOutputTokens, call.price) };
}

function refusalOf(standing: BudgetStanding, call: CallToHold): BudgetRefusal {
  const budgetUsd = standing.budgetUsd ?? "0";
  const spent = budgetIsSpent(budgetUsd, standing.spentUsd);
  const unheld = affordableOutputTokens(call.promptTokens, remainingUsd(budgetUsd, standing.spentUsd, "0"), call.price);
  return {
    standing: { ...standing, budgetUsd },
    remainingUsd: remainingUsd(budgetUsd, standing.spentUsd, standing.heldUsd),
    spent,
    fitsOnceSettled:
      !spent &&
      Usd.isPositive(standing.heldUsd) &&
      unheld > 0 &&
      unheld >= Math.min(minimumUsefulOutputTokens, call.wantedOutputTokens),
    wantedWorstUsd: worstCaseUsd(call.promptTokens, call.wantedOutputTokens, call.price),
  };
}

export type RunBudgetDecision = { allowed: true; maxOutputTokens: number } | { allowed: false; reason: string };

export interface RunBudgetWait {
  signal: AbortSignal;
  /** Told once when the call waits for other calls' holds (another run or request of the same key). */
  onWait: (reason: string) => void;
  waitMilliseconds?: number;
}

/**
 * The run loop's gate: the next call is held against the run's budget and its owner key's; the step commit settles
 * it. While only other calls' holds stand in the way, it waits for them (they can only give money back); the run
 * ends budget_exhausted, naming the budget, when even then the smallest useful answer would not fit.
 */
export async function holdRunBudget(
  store: Store,
  run: RunRecord,
  call: Omit<CallToHold, "accounts" | "runId">,
  wait: RunBudgetWait,
): Promise<RunBudgetDecision> {
  // Nothing to hold against: no standing is read and nothing is written (the run's budget is fixed while it runs).
  if (run.settings.budgetUsd === undefined && run.ownerKeyId === undefined) {
    return { allowed: true, maxOutputTokens: call.wantedOutputTokens };
  }
  const accounts: BudgetAccount[] = [{ kind: "run", id: run.id }];
  if (run.ownerKeyId !== undefined) accounts.push({ kind: "key", id: run.ownerKeyId });
  const deadline = Date.now() + (wait.waitMilliseconds ?? defaultWaitForHoldsMilliseconds);
  let waited = false;
  for (let pause = 10; ; pause = Math.min(pause * 2, longestPauseMilliseconds)) {
    const budget = await holdCallBudget(store, { ...call, accounts, runId: run.id });
    if (budget.allowed) return { allowed: true, maxOutputTokens: budget.maxOutputTokens };
    const reason = refusalReason(budget.refusal, call.promptTokens);
    if (!budget.refusal.fitsOnceSettled || Date.now() >= deadline) {
      return { allowed: false, reason: waited ? `${reason}, after waiting for them to settle` : reason };
    }
    if (!waited) wait.onWait(`waiting for other calls in flight to settle: ${reason}`);
    waited = true;
    await sleep(pause, undefined, { signal: wait.signal });
  }
}

function refusalReason(refusal: BudgetRefusal, promptTokens: number): string {
  const { account, budgetUsd, spentUsd, heldUsd } = refusal.standing;
  const whose = account.kind === "run" ? "the run's" : `key ${account.id}'s`;
  if (refusal.spent) {
    const by = account.kind === "run" ? "" : " by the key's runs and requests";
    return `${whose} budget of $${budgetUsd} is spent ($${spentUsd}${by})`;
  }
  const inFlight = Usd.isPositive(heldUsd)
    ? `; $${heldUsd} of it is held by ${account.kind === "run" ? "calls" : "the key's other calls"} in flight`
    : "";
  return (
    `the next call could cost more than the $${refusal.remainingUsd} left of ${whose} $${budgetUsd} budget ` +
    `(prompt up to ${promptTokens} tokens at the cache-miss price plus output${inFlight})`
  );
}
