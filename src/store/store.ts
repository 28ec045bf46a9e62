import type { BudgetAccount, BudgetHoldRequest, BudgetHoldResult, BudgetStanding } from "./budget-records.ts";
import type { CheckpointAfter, FileCheckpoint, NewFileCheckpoint } from "./checkpoint-records.ts";
import type { KeyAdmission, KeyAdmissionRequest, KeySlot } from "./key-admission.ts";
import type {
  ApiKeyRecord,
  EventRecord,
  LedgerEntry,
  NewRunRecord,
  PendingRunMessage,
  RunMessage,
  RunRecord,
  RunSettings,
  RunState,
  RunStatus,
  StepRecord,
  StepStart,
  ToolCallRecord,
  UsageRow,
} from "./records.ts";
import type { StoredResponse } from "./response-records.ts";
import type { StoreNotifications } from "./store-notifications.ts";
import type { LedgerLine } from "./usage-rows.ts";

/** Everything a step commits at once: the step, its ledger row, its planned tool calls, the run's new totals. */
export interface StepCommit {
  step: StepRecord;
  ledger: LedgerEntry;
  /** Stored as given: a call that will run without asking may come `started` already (one write, not two). */
  toolCalls: ToolCallRecord[];
  /**
   * The run as the caller last had it: when given, the store returns it with the new totals and status instead of
   * reading the whole run back (the executing loop's hot path).
   */
  run?: RunRecord;
  /** When given, nothing is written (a LeaseLostError is thrown) unless this owner still holds the run's lease. */
  leaseOwner?: string;
}

/** Options of a step start: writes riding along, and the lease owner it is refused without (as for StepCommit). */
export interface StepStartOptions {
  along?: PendingWrites;
  leaseOwner?: string;
}

/** A message just added, with the `user-message` event written in the same transaction. */
export type AddedRunMessage = RunMessage & { event: EventRecord };

/** An event not yet stored. */
export interface NewEvent {
  type: string;
  data: unknown;
}

export type ToolCallChange = Partial<
  Pick<ToolCallRecord, "status" | "output" | "outputImages" | "isError" | "startedAt" | "finishedAt">
>;

/** Writes that ride along with a run's next write: tool-call changes first, then events, in one transaction. */
export interface PendingWrites {
  toolCalls: { callId: string; change: ToolCallChange }[];
  events: NewEvent[];
}

/** Which runs `listRuns` returns, newest first; every field narrows the list (plain column filters only). */
export interface RunListFilter {
  ownerKeyId?: string;
  /** Default 100. */
  limit?: number;
  status?: RunStatus;
  /** The run's model setting, exactly. */
  model?: string;
  /** A case-insensitive substring of the task text. */
  taskContains?: string;
  /** Only runs created before this run (paging); no runs when it does not exist. */
  beforeRunId?: string;
  /** Only runs whose updatedAt is this ISO time or later (followers of the list poll with it). */
  updatedSince?: string;
}

/**
 * Runs, their steps and tool calls, leases and budget holds: the state a run is executed and resumed from.
 * Every method returns a Promise so that a networked store (PostgreSQL, a worker's client) can implement it.
 */
export interface RunStateStore {
  createRun(input: NewRunRecord): Promise<RunRecord>;
  getRun(id: string): Promise<RunRecord | undefined>;
  listRuns(filter?: RunListFilter): Promise<RunRecord[]>;
  updateRunSettings(id: string, settings: RunSettings): Promise<void>;
  /** Sets the status; a cancelled run stays cancelled whatever is written after. */
  setRunStatus(id: string, status: RunStatus, details?: { output?: string; error?: string }): Promise<RunRecord>;
  /**
   * Takes (or renews) the right to execute a run for `leaseMilliseconds`; false while another owner holds it,
   * even past its expiry (a live owner whose event loop was blocked still runs the run's tools). `replacing` names
   * an owner the caller proved gone (see agent/run-lease.ts), whose lease is then taken in the same update.
   */
  claimRun(id: string, owner: string, leaseMilliseconds: number, replacing?: string): Promise<boolean>;
  /** Renews a lease this owner still holds; false once it was taken over or released (then it is lost for good). */
  renewRun(id: string, owner: string, leaseMilliseconds: number): Promise<boolean>;
  releaseRun(id: string, owner: string): Promise<void>;
  /**
   * A worker's claim, one transaction: among the runs queued for workers (settings.onWorkers) whose status is
   * `queued` or `running`, takes the oldest (created first) that nobody holds: no lease at all, or a lease whose
   * owner is provably gone by the rule of leaseIsClaimable (same machine and its pid no longer exists; another
   * machine and its lease lapsed). A live owner on this machine keeps its run however long ago it renewed. The lease
   * is taken for `owner` in the same transaction (status unchanged; executeRun sets it `running`), so two workers
   * never get the same run: SQLite in an immediate write transaction, MemoryStore synchronously, PostgreSQL with
   * SELECT ... FOR UPDATE SKIP LOCKED. Undefined when no run is claimable.
   */
  claimQueuedRun(owner: string, leaseMilliseconds: number): Promise<RunRecord | undefined>;
  /** The run's lease as stored, expired or not, so a caller can tell whether its owner is gone. */
  leaseOf(id: string): Promise<{ owner: string; expiresAt: number } | undefined>;
  /** Marks a tool call started unless it is already finished or denied; false means do not run it. */
  startToolCall(runId: string, callId: string, startedAt: string): Promise<boolean>;
  /**
   * One transaction: the step, its ledger row, its tool calls, and the run's usage/cost/step totals; the run's
   * budget hold (its call's worst case) is settled in it.
   */
  commitStep(commit: StepCommit): Promise<RunRecord>;
  /**
   * Records, durably, that the run's call for step `start.index` is going out (replacing the previous start), with
   * the writes `along` (the last step's tool finishes and events) in the same transaction; returns those events.
   */
  recordStepStart(runId: string, start: StepStart, options?: StepStartOptions): Promise<EventRecord[]>;
  /** The run's latest step start, as recorded; compare its index with the run's stepCount to find a lost call. */
  lastStepStart(runId: string): Promise<StepStart | undefined>;
  listSteps(runId: string): Promise<StepRecord[]>;
  /**
   * One transaction: adds a person's message after the run's steps so far, appends its `user-message` event
   * ({ index, afterStep, content }) for followers, and queues the run, only if its status is one of
   * `continuableStatuses` and no process holds its lease; undefined (nothing written) otherwise.
   */
  addRunMessage(runId: string, content: string): Promise<AddedRunMessage | undefined>;
  /** The run's messages in the order they were added. */
  listRunMessages(runId: string): Promise<RunMessage[]>;
  listToolCalls(runId: string): Promise<ToolCallRecord[]>;
  updateToolCall(runId: string, callId: string, change: ToolCallChange): Promise<void>;
  /** Several tool-call changes in one transaction, in order. */
  updateToolCalls(runId: string, changes: PendingWrites["toolCalls"]): Promise<void>;
  /**
   * Where each budget stands: budget, spent, and held by calls in flight. Holds of an owner that is provably gone
   * (same host, pid dead) are swept first, so a crashed process does not keep money held.
   */
  budgetStandings(accounts: readonly BudgetAccount[]): Promise<BudgetStanding[]>;
  /**
   * Holds a call's worst case against every account at once, atomically: only if, for each account with a budget,
   * spent + holds + this hold stays within it. Nothing is held when any budget would be passed.
   */
  holdBudget(request: BudgetHoldRequest): Promise<BudgetHoldResult>;
  /** Gives back a hold whose call was never billed (it failed before reaching the provider, or was refused). */
  releaseBudgetHold(holdId: string): Promise<void>;
}

/** Each run's events in order, numbered by a sequence that SSE clients resume from (Last-Event-ID). */
export interface EventLog {
  appendEvent(runId: string, type: string, data: unknown): Promise<EventRecord>;
  /** Several events in one transaction, numbered in the order given. */
  appendEvents(runId: string, events: readonly NewEvent[]): Promise<EventRecord[]>;
  listEvents(runId: string, afterSequence?: number): Promise<EventRecord[]>;
  /** The run's newest event of one type, without reading the others (text deltas can be many). */
  lastEvent(runId: string, type: string): Promise<EventRecord | undefined>;
}

/** The money ledger: one row per billed call, summed per key and per day. */
export interface Ledger {
  /** A ledger row outside any step (a plain gateway request), settling that request's budget hold in one write. */
  recordLedger(entry: LedgerEntry, settlesHoldId?: string): Promise<void>;
  /** Money spent under a key so far, as an exact decimal string. */
  spentByKey(keyId: string): Promise<string>;
  usageRows(filter?: { keyId?: string }): Promise<UsageRow[]>;
}

/** The gateway's API keys (stored by hash). */
export interface KeyStore {
  createApiKey(record: ApiKeyRecord): Promise<void>;
  findApiKeyByHash(hash: string): Promise<ApiKeyRecord | undefined>;
  listApiKeys(): Promise<ApiKeyRecord[]>;
  revokeApiKey(idOrPrefix: string): Promise<boolean>;
}

/**
 * Persistence for runs, steps, tool calls, events, the money ledger and API keys: one object implementing each
 * part, because a step commit spans run state and the ledger in one transaction. Every implementation passes the
 * contract suites in test/store/ (SQLite and the in-memory store do).
 */
export interface Store extends RunStateStore, EventLog, Ledger, KeyStore {
  close(): Promise<void>;
  /**
   * A key's requests-per-minute and concurrency limits, kept in the store so every gateway on it counts together:
   * one atomic write counts the request in the key's 60 s window and takes a concurrency slot, or refuses (a request
   * refused for concurrency still counts in the window). Slots of an owner provably gone are reclaimed first.
   */
  admitKeyRequest(request: KeyAdmissionRequest): Promise<KeyAdmission>;
  /** Gives a concurrency slot back (nothing happens when it is already gone). */
  releaseKeySlot(slotId: string): Promise<void>;
  /** Moves the slots' lease expiry on; the gateway holding them renews them while their requests run. */
  renewKeySlots(slotIds: readonly string[], expiresAt: number): Promise<void>;
  /** The key's concurrency slots as stored, live or not yet reclaimed. */
  keySlots(keyId: string): Promise<KeySlot[]>;
  /**
   * setRunStatus with the change's event (its `status` event) appended in the same transaction, so followers never
   * see a status without its event or the reverse; when the status is not applied (a cancel stays), no event.
   */
  setRunStatusWithEvent(
    id: string,
    status: RunStatus,
    event: NewEvent,
    details?: { output?: string; error?: string },
  ): Promise<{ run: RunRecord; event?: EventRecord }>;
  /** Present when other processes' writes can be heard as they commit (PostgreSQL); absent, followers poll. */
  notifications?: StoreNotifications;
  /** Each billed call, oldest first, from `since` (an ISO time) on: `tansuo cost` groups them per day, model, run or key. */
  ledgerLines(filter?: { since?: string; keyId?: string }): Promise<LedgerLine[]>;
  /** The runs started by this run's agent tools (RunRecord.parentRunId), oldest first: the run tree's next level. */
  listChildRuns(runId: string): Promise<RunRecord[]>;
  /**
   * Status and lease owner (as stored, expired or not) of each run named that exists, in one read: a process
   * watches every run it executes for a cancel or a takeover with one query per poll, not one per run.
   */
  runStatesOf(ids: readonly string[]): Promise<RunState[]>;
  /**
   * Files' states before a change, in one durable write, before the change is made (write-ahead): a crash between
   * this and the edit keeps what the files were. Rows given an `after` (an undo's) are complete at once.
   */
  recordCheckpoints(checkpoints: readonly NewFileCheckpoint[]): Promise<void>;
  /** A finished call's file states after it ran, for the checkpoints recorded for that call (by path). */
  finishCheckpoints(runId: string, callId: string, afters: readonly CheckpointAfter[]): Promise<void>;
  /** Every checkpoint of the run, oldest first (by sequence). */
  listCheckpoints(runId: string): Promise<FileCheckpoint[]>;
  /** Stores a person's message for a run whatever its state (steering a running turn); delivered later. */
  addPendingRunMessage(runId: string, content: string): Promise<PendingRunMessage>;
  /** The run's pending messages, oldest first. */
  listPendingRunMessages(runId: string): Promise<PendingRunMessage[]>;
  /**
   * One transaction: moves every pending message into the run's messages (afterStep: its step count now), each with
   * its `user-message` event. With `leaseOwner`, only while that owner holds the run (a tool boundary of the running
   * turn); without, only when nobody holds it and its status is continuable, and the run is queued (the turn ended
   * first). Returns what was moved; [] (nothing written) when refused or none are pending.
   */
  deliverPendingRunMessages(runId: string, options?: { leaseOwner?: string }): Promise<AddedRunMessage[]>;
  /** Keeps a Responses API answer for `previous_response_id` (an id saved twice keeps the first). */
  saveResponse(response: StoredResponse): Promise<void>;
  /** A stored Responses API answer, whoever owns it (the gateway checks the owner). */
  getResponse(id: string): Promise<StoredResponse | undefined>;
}
