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
   * Takes (or renews) the right to execute a run for `leaseMilliseconds`; false while another owner's lease holds.
   * Two processes resuming one run would otherwise run its tools twice. `replacing` names a lease owner known
   * to be dead (its process is gone), whose lease may be taken at once.
   */
  claimRun(id: string, owner: string, leaseMilliseconds: number, replacing?: string): boolean;
  releaseRun(id: string, owner: string): void;
  /** Marks a tool call started unless it is already finished or denied; false means do not run it. */
  startToolCall(runId: string, callId: string, startedAt: string): boolean;
  /** One transaction: the step, its ledger row, its tool calls, and the run's usage/cost/step totals. */
  commitStep(commit: StepCommit): RunRecord;
  /** A ledger row outside any step (a plain gateway request). */
  recordLedger(entry: LedgerEntry): void;
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
  /** Money spent under a key so far, as an exact decimal string. */
  spentByKey(keyId: string): string;
  usageRows(filter?: { keyId?: string }): UsageRow[];
  close(): void;
}
