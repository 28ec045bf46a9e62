import { randomUUID } from "node:crypto";
import { addUsage, emptyUsage } from "../cost/usage.ts";
import { Usd } from "../cost/usd.ts";
import {
  type BudgetAccount,
  type BudgetHoldRequest,
  type BudgetHoldResult,
  type BudgetStanding,
  refusingBudget,
} from "./budget-records.ts";
import type { CheckpointAfter, FileCheckpoint, NewFileCheckpoint } from "./checkpoint-records.ts";
import { leaseIsClaimable } from "./claimable-lease.ts";
import type { KeyAdmission, KeyAdmissionRequest, KeySlot } from "./key-admission.ts";
import { LeaseLostError } from "./lease-lost-error.ts";
import { MemoryCheckpoints } from "./memory-checkpoints.ts";
import { MemoryKeyLimits } from "./memory-key-limits.ts";
import { pendingDeliverable } from "./pending-deliverable.ts";
import { ownerIsGone, processOwner } from "./process-owner.ts";
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
import { continuableStatuses } from "./records.ts";
import type { StoredResponse } from "./response-records.ts";
import type {
  AddedRunMessage,
  NewEvent,
  PendingWrites,
  RunListFilter,
  StepCommit,
  StepStartOptions,
  Store,
  ToolCallChange,
} from "./store.ts";
import { type LedgerLine, usageRowsOf } from "./usage-rows.ts";
import { userMessageEvent } from "./user-message-event.ts";

interface StoredRun {
  record: Omit<RunRecord, "leaseOwner">;
  lease?: { owner: string; expiresAt: number };
  stepStart?: StepStart;
  steps: StepRecord[];
  toolCalls: ToolCallRecord[];
  messages: RunMessage[];
}

interface StoredHold {
  holdId: string;
  account: BudgetAccount;
  amountUsd: string;
  owner: string;
  runId?: string;
}

/** What an in-memory store holds; two stores made on one `MemoryStoreData` see each other's writes. */
export class MemoryStoreData {
  readonly runs = new Map<string, StoredRun>();
  /** Runs in creation order, for listing newest first. */
  readonly runOrder: string[] = [];
  readonly events: EventRecord[] = [];
  readonly ledger: LedgerEntry[] = [];
  readonly keys = new Map<string, ApiKeyRecord & { spentUsd: string }>();
  holds: StoredHold[] = [];
  readonly keyLimits = new MemoryKeyLimits();
  readonly checkpoints = new MemoryCheckpoints();
  /** Steering messages per run, until delivered. */
  readonly pendingMessages = new Map<string, PendingRunMessage[]>();
  readonly responses = new Map<string, StoredResponse>();
}

const now = () => new Date().toISOString();
// Callers get copies: a record they change must not change the store, as with a database.
const copy = <T>(value: T): T => structuredClone(value);
const accountKey = (account: BudgetAccount) => `${account.kind}\u0000${account.id}`;

// The filter's columns, as SqliteStore applies them in SQL (beforeRunId is the starting point of the walk).
const runMatches = (run: RunRecord, filter: RunListFilter): boolean =>
  (filter.ownerKeyId === undefined || run.ownerKeyId === filter.ownerKeyId) &&
  (filter.status === undefined || run.status === filter.status) &&
  (filter.model === undefined || run.settings.model === filter.model) &&
  (filter.taskContains === undefined || run.settings.task.toLowerCase().includes(filter.taskContains.toLowerCase())) &&
  (filter.updatedSince === undefined || run.updatedAt >= filter.updatedSince);

/**
 * A store in this process's memory, for tests and for an `Agent` made with `memory: true`. Every method does its
 * whole work before its first await, so each is atomic as a transaction is: a step commits whole or not at all.
 */
export class MemoryStore implements Store {
  constructor(readonly data = new MemoryStoreData()) {}

  async createRun(input: NewRunRecord): Promise<RunRecord> {
    const id = input.id ?? `run_${randomUUID().replaceAll("-", "").slice(0, 20)}`;
    if (this.data.runs.has(id)) throw new Error(`A run with id ${id} already exists; pick another id or none.`);
    const at = now();
    const record = {
      id,
      status: "queued" as const,
      settings: copy(input.settings),
      ownerKeyId: input.ownerKeyId,
      usage: emptyUsage(),
      costUsd: "0",
      stepCount: 0,
      createdAt: at,
      updatedAt: at,
      ...(input.parentRunId === undefined ? {} : { parentRunId: input.parentRunId, parentCallId: input.parentCallId }),
    };
    this.data.runs.set(id, { record, steps: [], toolCalls: [], messages: [] });
    this.data.runOrder.push(id);
    return this.runRecord(id)!;
  }

  async getRun(id: string): Promise<RunRecord | undefined> {
    return this.runRecord(id);
  }

  async listChildRuns(runId: string): Promise<RunRecord[]> {
    return this.data.runOrder.map((id) => this.runRecord(id)!).filter((run) => run.parentRunId === runId);
  }

  async listRuns(filter: RunListFilter = {}): Promise<RunRecord[]> {
    const found: RunRecord[] = [];
    let index = this.data.runOrder.length - 1;
    if (filter.beforeRunId !== undefined) index = this.data.runOrder.indexOf(filter.beforeRunId) - 1;
    for (; index >= 0; index--) {
      const run = this.runRecord(this.data.runOrder[index]!)!;
      if (runMatches(run, filter)) found.push(run);
      if (found.length === (filter.limit ?? 100)) break;
    }
    return found;
  }

  async updateRunSettings(id: string, settings: RunSettings): Promise<void> {
    const run = this.data.runs.get(id);
    if (!run) return;
    run.record.settings = copy(settings);
    run.record.updatedAt = now();
  }

  async setRunStatus(
    id: string,
    status: RunStatus,
    details: { output?: string; error?: string } = {},
  ): Promise<RunRecord> {
    this.writeRunStatus(id, status, details);
    return this.runRecord(id)!;
  }

  async setRunStatusWithEvent(
    id: string,
    status: RunStatus,
    event: NewEvent,
    details: { output?: string; error?: string } = {},
  ): Promise<{ run: RunRecord; event?: EventRecord }> {
    const stored = this.writeRunStatus(id, status, details) ? this.insertEvents(id, [event])[0] : undefined;
    return { run: this.runRecord(id)!, event: stored };
  }

  /** True when the status was written: a cancel is final, no later status may overwrite it. */
  private writeRunStatus(id: string, status: RunStatus, details: { output?: string; error?: string }): boolean {
    const run = this.stored(id);
    if (run.record.status === "cancelled" && status !== "cancelled") return false;
    run.record.status = status;
    if (details.output !== undefined) run.record.output = details.output;
    run.record.error = details.error;
    run.record.updatedAt = now();
    return true;
  }

  async claimRun(id: string, owner: string, leaseMilliseconds: number, replacing?: string): Promise<boolean> {
    const run = this.data.runs.get(id);
    if (!run) return false;
    const holder = run.lease?.owner;
    if (holder !== undefined && holder !== owner && holder !== (replacing ?? owner)) return false;
    run.lease = { owner, expiresAt: Date.now() + leaseMilliseconds };
    return true;
  }

  async claimQueuedRun(owner: string, leaseMilliseconds: number): Promise<RunRecord | undefined> {
    const at = Date.now();
    // Synchronous from the read to the write: no other caller can pick the same run in between.
    for (const [id, run] of this.data.runs) {
      const { status, settings } = run.record;
      if ((status !== "queued" && status !== "running") || settings.onWorkers !== true) continue;
      if (!leaseIsClaimable(run.lease, at)) continue;
      run.lease = { owner, expiresAt: at + leaseMilliseconds };
      return this.runRecord(id);
    }
    return undefined;
  }

  async renewRun(id: string, owner: string, leaseMilliseconds: number): Promise<boolean> {
    const run = this.data.runs.get(id);
    if (run?.lease?.owner !== owner) return false;
    run.lease = { owner, expiresAt: Date.now() + leaseMilliseconds };
    return true;
  }

  async releaseRun(id: string, owner: string): Promise<void> {
    const run = this.data.runs.get(id);
    if (run?.lease?.owner !== owner) return;
    run.lease = undefined;
    // An executor that lets go of its run has no call in flight: a hold it left goes too.
    this.releaseRunHolds(id);
  }

  async leaseOf(id: string): Promise<{ owner: string; expiresAt: number } | undefined> {
    const lease = this.data.runs.get(id)?.lease;
    return lease && { ...lease };
  }

  async runStatesOf(ids: readonly string[]): Promise<RunState[]> {
    return ids.flatMap((id) => {
      const run = this.data.runs.get(id);
      return run ? [{ id, status: run.record.status, leaseOwner: run.lease?.owner }] : [];
    });
  }

  async recordCheckpoints(checkpoints: readonly NewFileCheckpoint[]): Promise<void> {
    this.data.checkpoints.record(checkpoints);
  }

  async finishCheckpoints(runId: string, callId: string, afters: readonly CheckpointAfter[]): Promise<void> {
    this.data.checkpoints.finish(runId, callId, afters);
  }

  async listCheckpoints(runId: string): Promise<FileCheckpoint[]> {
    return this.data.checkpoints.list(runId);
  }

  async startToolCall(runId: string, callId: string, startedAt: string): Promise<boolean> {
    const call = this.data.runs.get(runId)?.toolCalls.find((candidate) => candidate.callId === callId);
    if (!call || !["planned", "approved", "started"].includes(call.status)) return false;
    call.status = "started";
    call.startedAt = startedAt;
    return true;
  }

  async commitStep(commit: StepCommit): Promise<RunRecord> {
    const { step } = commit;
    const run = this.stored(step.runId);
    this.assertLease(run, step.runId, commit.leaseOwner);
    // Checked before anything is written, so a refused commit leaves no trace (as a rolled-back transaction).
    if (run.steps.some((existing) => existing.index === step.index)) {
      throw new Error(`Run ${step.runId} already has a step ${step.index}; nothing of this commit was written.`);
    }
    const callIds = new Set(run.toolCalls.map((call) => call.callId));
    for (const call of commit.toolCalls) {
      if (callIds.has(call.callId)) {
        throw new Error(
          `Run ${step.runId} already has a tool call ${call.callId}; nothing of this commit was written.`,
        );
      }
      callIds.add(call.callId);
    }
    run.steps.push(copy(step));
    this.insertLedger(commit.ledger);
    // The step bills the run's call: its hold is settled with it.
    this.releaseRunHolds(step.runId);
    for (const call of commit.toolCalls) run.toolCalls.push(copy(call));
    run.record.usage = addUsage(run.record.usage, step.usage);
    run.record.costUsd = Usd.sum([run.record.costUsd, step.costUsd]);
    run.record.stepCount = Math.max(run.record.stepCount, step.index + 1);
    run.record.updatedAt = now();
    if (!commit.run) return this.runRecord(step.runId)!;
    const { status, usage, costUsd, stepCount, updatedAt } = run.record;
    return { ...commit.run, status, usage: { ...usage }, costUsd, stepCount, updatedAt };
  }

  async recordStepStart(runId: string, start: StepStart, options: StepStartOptions = {}): Promise<EventRecord[]> {
    const { along, leaseOwner } = options;
    const run = this.data.runs.get(runId);
    if (run) this.assertLease(run, runId, leaseOwner);
    if (along) this.changeToolCalls(runId, along.toolCalls);
    if (run) run.stepStart = { ...start };
    return along ? this.insertEvents(runId, along.events) : [];
  }

  /** Checked before anything is written, so a refused write leaves no trace. */
  private assertLease(run: StoredRun, runId: string, leaseOwner: string | undefined): void {
    if (leaseOwner !== undefined && run.lease?.owner !== leaseOwner) throw new LeaseLostError(runId, leaseOwner);
  }

  async lastStepStart(runId: string): Promise<StepStart | undefined> {
    const start = this.data.runs.get(runId)?.stepStart;
    return start && { ...start };
  }

  async listSteps(runId: string): Promise<StepRecord[]> {
    const steps = this.data.runs.get(runId)?.steps ?? [];
    return copy([...steps].sort((left, right) => left.index - right.index));
  }

  async addRunMessage(runId: string, content: string): Promise<AddedRunMessage | undefined> {
    const run = this.data.runs.get(runId);
    if (!run || run.lease !== undefined || !continuableStatuses.includes(run.record.status)) return undefined;
    const message: RunMessage = {
      runId,
      index: run.messages.length,
      afterStep: run.record.stepCount,
      content,
      createdAt: now(),
    };
    run.messages.push(message);
    run.record.status = "queued";
    run.record.error = undefined;
    run.record.updatedAt = message.createdAt;
    const [event] = this.insertEvents(runId, [{ type: "user-message", data: userMessageEvent(message) }]);
    return copy({ ...message, event: event! });
  }

  async listRunMessages(runId: string): Promise<RunMessage[]> {
    return copy(this.data.runs.get(runId)?.messages ?? []);
  }

  async listToolCalls(runId: string): Promise<ToolCallRecord[]> {
    const calls = this.data.runs.get(runId)?.toolCalls ?? [];
    return copy([...calls].sort((left, right) => left.stepIndex - right.stepIndex || left.position - right.position));
  }

  async updateToolCall(runId: string, callId: string, change: ToolCallChange): Promise<void> {
    this.changeToolCalls(runId, [{ callId, change }]);
  }

  async updateToolCalls(runId: string, changes: PendingWrites["toolCalls"]): Promise<void> {
    this.changeToolCalls(runId, changes);
  }

  async appendEvent(runId: string, type: string, data: unknown): Promise<EventRecord> {
    return this.insertEvents(runId, [{ type, data }])[0]!;
  }

  async appendEvents(runId: string, events: readonly NewEvent[]): Promise<EventRecord[]> {
    return this.insertEvents(runId, events);
  }

  private changeToolCalls(runId: string, changes: PendingWrites["toolCalls"]): void {
    const calls = this.data.runs.get(runId)?.toolCalls ?? [];
    for (const { callId, change } of changes) {
      const call = calls.find((candidate) => candidate.callId === callId);
      if (!call) continue;
      for (const [key, value] of Object.entries(change)) {
        if (value !== undefined) Object.assign(call, { [key]: copy(value) });
      }
    }
  }

  private insertEvents(runId: string, events: readonly NewEvent[]): EventRecord[] {
    const at = now();
    return events.map(({ type, data }) => {
      const record = { sequence: this.data.events.length + 1, runId, type, data: copy(data ?? null), at };
      this.data.events.push(record);
      return copy(record);
    });
  }

  async listEvents(runId: string, afterSequence = 0): Promise<EventRecord[]> {
    // Sequences are positions in the array: the replay starts right after the one asked for.
    return copy(this.data.events.slice(afterSequence).filter((event) => event.runId === runId));
  }

  async lastEvent(runId: string, type: string): Promise<EventRecord | undefined> {
    const event = this.data.events.findLast((candidate) => candidate.runId === runId && candidate.type === type);
    return event && copy(event);
  }

  async recordLedger(entry: LedgerEntry, settlesHoldId?: string): Promise<void> {
    this.insertLedger(entry);
    if (settlesHoldId !== undefined) this.releaseHold(settlesHoldId);
  }

  async spentByKey(keyId: string): Promise<string> {
    return this.data.keys.get(keyId)?.spentUsd ?? "0";
  }

  async usageRows(filter: { keyId?: string } = {}): Promise<UsageRow[]> {
    return usageRowsOf(this.data.ledger.filter((entry) => filter.keyId === undefined || entry.keyId === filter.keyId));
  }

  async ledgerLines(filter: { since?: string; keyId?: string } = {}): Promise<LedgerLine[]> {
    return this.data.ledger
      .filter((entry) => filter.since === undefined || entry.at >= filter.since)
      .filter((entry) => filter.keyId === undefined || entry.keyId === filter.keyId)
      .map(({ keyId, runId, model, at, usage, costUsd }) => ({
        keyId,
        runId,
        model,
        at,
        usage: { ...usage },
        costUsd,
      }));
  }

  async createApiKey(record: ApiKeyRecord): Promise<void> {
    if (this.data.keys.has(record.id) || [...this.data.keys.values()].some((key) => key.hash === record.hash)) {
      throw new Error(`An API key with id ${record.id} or the same hash already exists; nothing was stored.`);
    }
    // Stored as SQLite stores it: `admin` present only when true.
    const { admin, ...rest } = copy(record);
    this.data.keys.set(record.id, { ...rest, ...(admin ? { admin: true } : {}), spentUsd: "0" });
  }

  async findApiKeyByHash(hash: string): Promise<ApiKeyRecord | undefined> {
    const key = [...this.data.keys.values()].find((candidate) => candidate.hash === hash);
    return key && this.keyRecord(key);
  }

  async listApiKeys(): Promise<ApiKeyRecord[]> {
    return [...this.data.keys.values()]
      .sort((left, right) => left.createdAt.localeCompare(right.createdAt))
      .map((key) => this.keyRecord(key));
  }

  async revokeApiKey(idOrPrefix: string): Promise<boolean> {
    let revoked = false;
    for (const key of this.data.keys.values()) {
      if ((key.id === idOrPrefix || key.prefix === idOrPrefix) && key.revokedAt === undefined) {
        key.revokedAt = now();
        revoked = true;
      }
    }
    return revoked;
  }

  async budgetStandings(accounts: readonly BudgetAccount[]): Promise<BudgetStanding[]> {
    return this.uniqueAccounts(accounts).map((account) => this.standing(account));
  }

  async holdBudget(request: BudgetHoldRequest): Promise<BudgetHoldResult> {
    if (request.runId !== undefined) this.releaseRunHolds(request.runId);
    const accounts = this.uniqueAccounts(request.accounts);
    const standings = accounts.map((account) => this.standing(account));
    const refusedBy = refusingBudget(standings, request.amountUsd);
    if (refusedBy) return { held: false, refusedBy, standings };
    for (const account of accounts) {
      this.data.holds.push({
        holdId: request.id,
        account,
        amountUsd: request.amountUsd,
        owner: request.owner,
        runId: request.runId,
      });
    }
    return { held: true };
  }

  async releaseBudgetHold(holdId: string): Promise<void> {
    this.releaseHold(holdId);
  }

  async close(): Promise<void> {}

  async admitKeyRequest(request: KeyAdmissionRequest): Promise<KeyAdmission> {
    return this.data.keyLimits.admit(request);
  }

  async releaseKeySlot(slotId: string): Promise<void> {
    this.data.keyLimits.release(slotId);
  }

  async renewKeySlots(slotIds: readonly string[], expiresAt: number): Promise<void> {
    this.data.keyLimits.renew(slotIds, expiresAt);
  }

  async keySlots(keyId: string): Promise<KeySlot[]> {
    return this.data.keyLimits.slotsOf(keyId);
  }

  async saveResponse(response: StoredResponse): Promise<void> {
    if (!this.data.responses.has(response.id)) this.data.responses.set(response.id, copy(response));
  }

  async getResponse(id: string): Promise<StoredResponse | undefined> {
    const found = this.data.responses.get(id);
    return found ? copy(found) : undefined;
  }

  private stored(id: string): StoredRun {
    const run = this.data.runs.get(id);
    if (!run) throw new Error(`Run ${id} does not exist`);
    return run;
  }

  private runRecord(id: string): RunRecord | undefined {
    const run = this.data.runs.get(id);
    if (!run) return undefined;
    const leaseOwner = run.lease && run.lease.expiresAt > Date.now() ? run.lease.owner : undefined;
    return { ...copy(run.record), leaseOwner };
  }

  private keyRecord({ spentUsd: _spent, ...record }: ApiKeyRecord & { spentUsd: string }): ApiKeyRecord {
    return copy(record);
  }

  private insertLedger(entry: LedgerEntry): void {
    this.data.ledger.push(copy(entry));
    const key = entry.keyId === undefined ? undefined : this.data.keys.get(entry.keyId);
    if (key) key.spentUsd = Usd.sum([key.spentUsd, entry.costUsd]);
  }

  private releaseHold(holdId: string): void {
    this.data.holds = this.data.holds.filter((hold) => hold.holdId !== holdId);
  }

  private releaseRunHolds(runId: string): void {
    this.data.holds = this.data.holds.filter((hold) => hold.runId !== runId);
  }

  private uniqueAccounts(accounts: readonly BudgetAccount[]): BudgetAccount[] {
    return [...new Map(accounts.map((account) => [accountKey(account), account])).values()];
  }

  /** The account's budget, spend and live holds; holds of owners provably gone (same host, pid dead) are swept. */
  private standing(account: BudgetAccount): BudgetStanding {
    const gone = new Map<string, boolean>();
    const held: string[] = [];
    for (const hold of [...this.data.holds]) {
      if (accountKey(hold.account) !== accountKey(account)) continue;
      if (hold.owner !== processOwner() && !gone.has(hold.owner)) gone.set(hold.owner, ownerIsGone(hold.owner));
      if (gone.get(hold.owner)) this.releaseHold(hold.holdId);
      else held.push(hold.amountUsd);
    }
    if (account.kind === "key") {
      const key = this.data.keys.get(account.id);
      return { account, budgetUsd: key?.budgetUsd, spentUsd: key?.spentUsd ?? "0", heldUsd: Usd.sum(held) };
    }
    const run = this.data.runs.get(account.id)?.record;
    // A run's budget pays for its child runs too (agents as tools): their spend, at every depth, is its spend.
    const spent = [run?.costUsd ?? "0", ...this.descendantsOf(account.id).map((child) => child.costUsd)];
    return { account, budgetUsd: run?.settings.budgetUsd, spentUsd: Usd.sum(spent), heldUsd: Usd.sum(held) };
  }

  private descendantsOf(runId: string): RunRecord[] {
    const children = [...this.data.runs.values()]
      .map((entry) => entry.record)
      .filter((record) => record.parentRunId === runId);
    return children.flatMap((child) => [child, ...this.descendantsOf(child.id)]);
  }

  async addPendingRunMessage(runId: string, content: string): Promise<PendingRunMessage> {
    const message = { runId, content, createdAt: now() };
    this.data.pendingMessages.set(runId, [...(this.data.pendingMessages.get(runId) ?? []), message]);
    return copy(message);
  }

  async listPendingRunMessages(runId: string): Promise<PendingRunMessage[]> {
    return copy(this.data.pendingMessages.get(runId) ?? []);
  }

  async deliverPendingRunMessages(runId: string, options: { leaseOwner?: string } = {}): Promise<AddedRunMessage[]> {
    const run = this.data.runs.get(runId);
    const pending = this.data.pendingMessages.get(runId) ?? [];
    if (!run || pending.length === 0 || !pendingDeliverable(run.record.status, run.lease?.owner, options.leaseOwner)) {
      return [];
    }
    const at = now();
    const added = pending.map((entry) => {
      const message: RunMessage = {
        runId,
        index: run.messages.length,
        afterStep: run.record.stepCount,
        content: entry.content,
        createdAt: at,
      };
      run.messages.push(message);
      const [event] = this.insertEvents(runId, [{ type: "user-message", data: userMessageEvent(message) }]);
      return { ...message, event: event! };
    });
    this.data.pendingMessages.delete(runId);
    if (options.leaseOwner === undefined) {
      run.record.status = "queued";
      run.record.error = undefined;
      run.record.updatedAt = at;
    }
    return copy(added);
  }
}
