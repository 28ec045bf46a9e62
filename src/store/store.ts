import type { BudgetAccount, BudgetHoldRequest, BudgetHoldResult, BudgetStanding } from "./budget-records.ts";
import type {
  ApiKeyRecord,
  EventRecord,
  LedgerEntry,
  RunRecord,
  RunSettings,
  RunStatus,
  StepRecord,
  ToolCallRecord,
  UsageRow,
} from "./records.ts";

/** Everything a step commits at once: the step, its ledger row, its planned tool calls, the run's new totals. */
export interface StepCommit {
  step: StepRecord;
  ledger: LedgerEntry;
  toolCalls: ToolCallRecord[];
}

/**
 * Persistence for runs, steps, tool calls, events, the money ledger and API keys.
 * SQLite is the embedded implementation; every implementation passes test/store/store-contract.ts.
 */
export interface Store {
  createRun(input: { id?: string; settings: RunSettings; ownerKeyId?: string }): RunRecord;
  getRun(id: string): RunRecord | undefined;
  listRuns(filter?: { ownerKeyId?: string; limit?: number }): RunRecord[];
  updateRunSettings(id: string, settings: RunSettings): void;
  /** Sets the status; a cancelled run stays cancelled whatever is written after. */
  setRunStatus(id: string, status: RunStatus, details?: { output?: string; error?: string }): RunRecord;
  /**
   * Takes (or renews) the right to execute a run for `leaseMilliseconds`; false while another owner holds it,
   * even past its expiry (a live owner whose event loop was blocked still runs the run's tools). `replacing` names
   * an owner the caller proved gone (see agent/run-lease.ts), whose lease is then taken in the same update.
   */
  claimRun(id: string, owner: string, leaseMilliseconds: number, replacing?: string): boolean;
  /** Renews a lease this owner still holds; false once it was taken over or released (then it is lost for good). */
  renewRun(id: string, owner: string, leaseMilliseconds: number): boolean;
  releaseRun(id: string, owner: string): void;
  /** The run's lease as stored, expired or not, so a caller can tell whether its owner is gone. */
  leaseOf(id: string): { owner: string; expiresAt: number } | undefined;
  /** Marks a tool call started unless it is already finished or denied; false means do not run it. */
  startToolCall(runId: string, callId: string, startedAt: string): boolean;
  /**
   * One transaction: the step, its ledger row, its tool calls, and the run's usage/cost/step totals; the run's
   * budget hold (its call's worst case) is settled in it.
   */
  commitStep(commit: StepCommit): RunRecord;
  /** A ledger row outside any step (a plain gateway request), settling that request's budget hold in one write. */
  recordLedger(entry: LedgerEntry, settlesHoldId?: string): void;
  listSteps(runId: string): StepRecord[];
  listToolCalls(runId: string): ToolCallRecord[];
  updateToolCall(
    runId: string,
    callId: string,
    change: Partial<Pick<ToolCallRecord, "status" | "output" | "isError" | "startedAt" | "finishedAt">>,
  ): void;
  appendEvent(runId: string, type: string, data: unknown): EventRecord;
  listEvents(runId: string, afterSequence?: number): EventRecord[];
  /** The run's newest event of one type, without reading the others (text deltas can be many). */
  lastEvent(runId: string, type: string): EventRecord | undefined;
  createApiKey(record: ApiKeyRecord): void;
  findApiKeyByHash(hash: string): ApiKeyRecord | undefined;
  listApiKeys(): ApiKeyRecord[];
  revokeApiKey(idOrPrefix: string): boolean;
  /**
   * Where each budget stands: budget, spent, and held by calls in flight. Holds of an owner that is provably gone
   * (same host, pid dead) are swept first, so a crashed process does not keep money held.
   */
  budgetStandings(accounts: readonly BudgetAccount[]): BudgetStanding[];
  /**
   * Holds a call's worst case against every account at once, atomically: only if, for each account with a budget,
   * spent + holds + this hold stays within it. Nothing is held when any budget would be passed.
   */
  holdBudget(request: BudgetHoldRequest): BudgetHoldResult;
  /** Gives back a hold whose call was never billed (it failed before reaching the provider, or was refused). */
  releaseBudgetHold(holdId: string): void;
  /** Money spent under a key so far, as an exact decimal string. */
  spentByKey(keyId: string): string;
  usageRows(filter?: { keyId?: string }): UsageRow[];
  close(): void;
}
