import { randomUUID } from "node:crypto";
import { mkdirSync } from "node:fs";
import path from "node:path";
import Database from "better-sqlite3";
import { addUsage, emptyUsage, type TokenUsage } from "../cost/usage.ts";
import { Usd } from "../cost/usd.ts";
import type { BudgetAccount, BudgetHoldRequest, BudgetHoldResult, BudgetStanding } from "./budget-records.ts";
import type { CheckpointAfter, FileCheckpoint, NewFileCheckpoint } from "./checkpoint-records.ts";
import { leaseIsClaimable } from "./claimable-lease.ts";
import type { KeyAdmission, KeyAdmissionRequest, KeySlot } from "./key-admission.ts";
import { LeaseLostError } from "./lease-lost-error.ts";
import { pendingDeliverable } from "./pending-deliverable.ts";
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
  StoredImage,
  ToolCallRecord,
  UsageRow,
} from "./records.ts";
import { continuableStatuses } from "./records.ts";
import type { StoredResponse } from "./response-records.ts";
import { eventFromRow, type Row, runFromRow, runStateFromRow, storedResponseOfRow, text } from "./sql-rows.ts";
import { SqliteBudgetHolds } from "./sqlite-budget-holds.ts";
import { SqliteCheckpoints } from "./sqlite-checkpoints.ts";
import { SqliteKeyLimits } from "./sqlite-key-limits.ts";
import {
  sqliteAddedApiKeyColumns,
  sqliteAddedIndexes,
  sqliteAddedRunColumns,
  sqliteAddedToolCallColumns,
  sqliteSchema,
} from "./sqlite-schema.ts";
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
import { WalCheckpointer } from "./wal-checkpointer.ts";

const now = () => new Date().toISOString();
const imagesColumn = (images: StoredImage[] | undefined): string | null =>
  images && images.length > 0 ? JSON.stringify(images) : null;

// How long a key found by its hash is trusted without asking the file again: a revocation made by another process
// (`tansuo keys revoke`) takes effect within this time; one made through this store takes effect at once.
const keyLookupMilliseconds = 1000;
// A store that writes the ledger this often (a gateway) moves WAL checkpoints to a worker thread, so that no
// request's commit pays for one; a store that writes a little (a CLI run) keeps SQLite's own checkpoints.
const ledgerWritesBeforeBackgroundCheckpoints = 100;
const checkpointMilliseconds = 250;
const sqliteAutocheckpointPages = 1000;

/** The embedded store: one SQLite file in WAL mode, safe for several processes on one machine. */
export class SqliteStore implements Store {
  private readonly database: Database.Database;
  // Preparing a statement costs more than running it; each SQL text is prepared once.
  private readonly statements = new Map<string, Database.Statement>();
  private readonly keysByHash = new Map<string, { record: ApiKeyRecord; until: number }>();
  private readonly recordLedgerTransaction: (entry: LedgerEntry, settlesHoldId: string | undefined) => void;
  private readonly budgetHolds: SqliteBudgetHolds;
  private readonly keyLimits: SqliteKeyLimits;
  private readonly checkpoints: SqliteCheckpoints;
  // One transaction wrapper made once (making one per write costs more than the write's statements).
  private readonly atomically: <T>(work: () => T) => T;
  private readonly claimQueuedTransaction: (owner: string, leaseMilliseconds: number) => string | undefined;
  private ledgerWrites = 0;
  private checkpointer: WalCheckpointer | undefined;

  constructor(private readonly file: string) {
    if (file !== ":memory:") mkdirSync(path.dirname(file), { recursive: true });
    this.database = new Database(file);
    this.database.pragma("journal_mode = WAL");
    this.database.pragma("synchronous = NORMAL");
    this.database.pragma("busy_timeout = 5000");
    this.database.exec(sqliteSchema);
    this.addMissingColumns();
    this.database.exec(sqliteAddedIndexes);
    this.budgetHolds = new SqliteBudgetHolds(this.database, (sql) => this.statement(sql));
    this.keyLimits = new SqliteKeyLimits(this.database, (sql) => this.statement(sql));
    this.checkpoints = new SqliteCheckpoints(this.database, (sql) => this.statement(sql));
    const transaction = this.database.transaction((work: () => unknown) => work());
    this.atomically = <T>(work: () => T) => transaction(work) as T;
    // Immediate: the write lock is taken before the candidates are read, so two processes cannot pick the same run.
    const claim = this.database.transaction((owner: string, leaseMilliseconds: number) =>
      this.claimQueued(owner, leaseMilliseconds),
    );
    this.claimQueuedTransaction = (owner, leaseMilliseconds) => claim.immediate(owner, leaseMilliseconds);
    // The row that bills a call and the removal of its hold are one write: never counted twice, never not at all.
    this.recordLedgerTransaction = this.database.transaction(
      (entry: LedgerEntry, settlesHoldId: string | undefined) => {
        this.insertLedger(entry);
        if (settlesHoldId !== undefined) this.budgetHolds.release(settlesHoldId);
      },
    );
  }

  /** Databases made by an older version lack later columns; add them in place (nothing is rewritten). */
  private addMissingColumns(): void {
    for (const [table, added] of [
      ["runs", sqliteAddedRunColumns],
      ["tool_calls", sqliteAddedToolCallColumns],
      ["api_keys", sqliteAddedApiKeyColumns],
    ] as const) {
      const columns = new Set(
        (this.database.prepare(`PRAGMA table_info(${table})`).all() as { name: string }[]).map((column) => column.name),
      );
      for (const [name, type] of added) {
        if (!columns.has(name)) this.database.exec(`ALTER TABLE ${table} ADD COLUMN ${name} ${type}`);
      }
    }
  }

  async claimRun(id: string, owner: string, leaseMilliseconds: number, replacing?: string): Promise<boolean> {
    const at = Date.now();
    const result = this.statement(
      `UPDATE runs SET lease_owner = ?, lease_until = ?
       WHERE id = ? AND (lease_owner IS NULL OR lease_owner = ? OR lease_owner = ?)`,
    ).run(owner, at + leaseMilliseconds, id, owner, replacing ?? owner);
    return result.changes === 1;
  }

  async claimQueuedRun(owner: string, leaseMilliseconds: number): Promise<RunRecord | undefined> {
    const id = this.claimQueuedTransaction(owner, leaseMilliseconds);
    return id === undefined ? undefined : this.readRun(id);
  }

  private claimQueued(owner: string, leaseMilliseconds: number): string | undefined {
    const at = Date.now();
    // Oldest first; a held run is skipped unless its owner is provably gone (its lease is then replaced).
    const candidates = this.statement(
      `SELECT id, lease_owner, lease_until FROM runs
       WHERE status IN ('queued', 'running') AND json_extract(settings, '$.onWorkers') = 1
       ORDER BY created_at, rowid`,
    ).all() as Row[];
    for (const row of candidates) {
      const lease =
        row.lease_owner === null ? undefined : { owner: String(row.lease_owner), expiresAt: Number(row.lease_until) };
      if (!leaseIsClaimable(lease, at)) continue;
      const id = String(row.id);
      this.statement("UPDATE runs SET lease_owner = ?, lease_until = ? WHERE id = ?").run(
        owner,
        at + leaseMilliseconds,
        id,
      );
      return id;
    }
    return undefined;
  }

  async renewRun(id: string, owner: string, leaseMilliseconds: number): Promise<boolean> {
    const result = this.statement("UPDATE runs SET lease_until = ? WHERE id = ? AND lease_owner = ?").run(
      Date.now() + leaseMilliseconds,
      id,
      owner,
    );
    return result.changes === 1;
  }

  async leaseOf(id: string): Promise<{ owner: string; expiresAt: number } | undefined> {
    const row = this.statement("SELECT lease_owner, lease_until FROM runs WHERE id = ?").get(id) as Row | undefined;
    if (!row || row.lease_owner === null) return undefined;
    return { owner: String(row.lease_owner), expiresAt: Number(row.lease_until ?? 0) };
  }

  async runStatesOf(ids: readonly string[]): Promise<RunState[]> {
    if (ids.length === 0) return [];
    const rows = this.statement(
      "SELECT id, status, lease_owner FROM runs WHERE id IN (SELECT value FROM json_each(?))",
    ).all(JSON.stringify(ids)) as Row[];
    return rows.map(runStateFromRow);
  }

  async recordCheckpoints(checkpoints: readonly NewFileCheckpoint[]): Promise<void> {
    this.checkpoints.record(checkpoints);
  }

  async finishCheckpoints(runId: string, callId: string, afters: readonly CheckpointAfter[]): Promise<void> {
    this.checkpoints.finish(runId, callId, afters);
  }

  async listCheckpoints(runId: string): Promise<FileCheckpoint[]> {
    return this.checkpoints.list(runId);
  }

  async releaseRun(id: string, owner: string): Promise<void> {
    const released = this.statement(
      "UPDATE runs SET lease_owner = NULL, lease_until = NULL WHERE id = ? AND lease_owner = ?",
    ).run(id, owner);
    // An executor that lets go of its run has no call in flight: a hold it left (a bill that failed) goes too.
    if (released.changes === 1) this.budgetHolds.releaseRun(id);
  }

  async startToolCall(runId: string, callId: string, startedAt: string): Promise<boolean> {
    const result = this.statement(
      `UPDATE tool_calls SET status = 'started', started_at = ?
       WHERE run_id = ? AND call_id = ? AND status IN ('planned', 'approved', 'started')`,
    ).run(startedAt, runId, callId);
    return result.changes === 1;
  }

  private checkpointInBackground(): void {
    if (this.file === ":memory:" || this.checkpointer) return;
    this.checkpointer = new WalCheckpointer(this.file, checkpointMilliseconds, (running) => {
      if (this.database.open) {
        this.database.pragma(`wal_autocheckpoint = ${running ? 0 : sqliteAutocheckpointPages}`);
      }
    });
  }

  private statement(sql: string): Database.Statement {
    let statement = this.statements.get(sql);
    if (!statement) {
      statement = this.database.prepare(sql);
      this.statements.set(sql, statement);
    }
    return statement;
  }

  async createRun(input: NewRunRecord): Promise<RunRecord> {
    const id = input.id ?? `run_${randomUUID().replaceAll("-", "").slice(0, 20)}`;
    const at = now();
    this.statement(
      `INSERT INTO runs (id, status, settings, owner_key_id, usage, cost_usd, step_count, created_at, updated_at,
         parent_run_id, parent_call_id)
         VALUES (?, 'queued', ?, ?, ?, '0', 0, ?, ?, ?, ?)`,
    ).run(
      id,
      JSON.stringify(input.settings),
      input.ownerKeyId ?? null,
      JSON.stringify(emptyUsage()),
      at,
      at,
      input.parentRunId ?? null,
      input.parentCallId ?? null,
    );
    return this.readRun(id)!;
  }

  async listChildRuns(runId: string): Promise<RunRecord[]> {
    const rows = this.statement("SELECT * FROM runs WHERE parent_run_id = ? ORDER BY created_at, rowid").all(
      runId,
    ) as Row[];
    return rows.map((row) => runFromRow(row));
  }

  async getRun(id: string): Promise<RunRecord | undefined> {
    return this.readRun(id);
  }

  private readRun(id: string): RunRecord | undefined {
    const row = this.statement("SELECT * FROM runs WHERE id = ?").get(id) as Row | undefined;
    return row ? runFromRow(row) : undefined;
  }

  async listRuns(filter: RunListFilter = {}): Promise<RunRecord[]> {
    const conditions: string[] = [];
    const values: unknown[] = [];
    const where = (condition: string, ...given: unknown[]) => {
      conditions.push(condition);
      values.push(...given);
    };
    if (filter.ownerKeyId !== undefined) where("owner_key_id = ?", filter.ownerKeyId);
    if (filter.status !== undefined) where("status = ?", filter.status);
    if (filter.model !== undefined) where("json_extract(settings, '$.model') = ?", filter.model);
    // instr on lower-cased text, not LIKE: the searched text may hold % and _.
    if (filter.taskContains !== undefined)
      where("instr(lower(json_extract(settings, '$.task')), lower(?)) > 0", filter.taskContains);
    if (filter.beforeRunId !== undefined)
      where("(created_at, rowid) < (SELECT created_at, rowid FROM runs WHERE id = ?)", filter.beforeRunId);
    if (filter.updatedSince !== undefined) where("updated_at >= ?", filter.updatedSince);
    const rows = this.statement(
      `SELECT * FROM runs ${conditions.length > 0 ? `WHERE ${conditions.join(" AND ")}` : ""}
       ORDER BY created_at DESC, rowid DESC LIMIT ?`,
    ).all(...values, filter.limit ?? 100) as Row[];
    return rows.map((row) => runFromRow(row));
  }

  async updateRunSettings(id: string, settings: RunSettings): Promise<void> {
    this.statement("UPDATE runs SET settings = ?, updated_at = ? WHERE id = ?").run(
      JSON.stringify(settings),
      now(),
      id,
    );
  }

  async setRunStatus(
    id: string,
    status: RunStatus,
    details: { output?: string; error?: string } = {},
  ): Promise<RunRecord> {
    this.writeRunStatus(id, status, details);
    return this.readRun(id)!;
  }

  async setRunStatusWithEvent(
    id: string,
    status: RunStatus,
    event: NewEvent,
    details: { output?: string; error?: string } = {},
  ): Promise<{ run: RunRecord; event?: EventRecord }> {
    const stored = this.atomically(() =>
      this.writeRunStatus(id, status, details) ? this.insertEvents(id, [event])[0] : undefined,
    );
    return { run: this.readRun(id)!, event: stored };
  }

  /** True when the status was written: a cancel is final, no later status may overwrite it, whichever process writes. */
  private writeRunStatus(id: string, status: RunStatus, details: { output?: string; error?: string }): boolean {
    const result = this.statement(
      `UPDATE runs SET status = ?, output = COALESCE(?, output), error = ?, updated_at = ?
       WHERE id = ? AND (status != 'cancelled' OR ? = 'cancelled')`,
    ).run(status, details.output ?? null, details.error ?? null, now(), id, status);
    return result.changes === 1;
  }

  async commitStep(commit: StepCommit): Promise<RunRecord> {
    const changed = this.atomically(() => {
      const { step } = commit;
      this.statement(
        `INSERT INTO steps (run_id, step_index, assistant, finish_reason, usage, cost_usd, price, model, created_at)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      ).run(
        step.runId,
        step.index,
        JSON.stringify(step.assistant),
        step.finishReason,
        JSON.stringify(step.usage),
        step.costUsd,
        JSON.stringify(step.price),
        step.model,
        step.createdAt,
      );
      this.insertLedger(commit.ledger);
      // The step bills the run's call: its hold is settled in the same transaction.
      this.budgetHolds.releaseRun(step.runId);
      const insertCall = this.statement(
        `INSERT INTO tool_calls
           (run_id, step_index, position, call_id, tool_name, input, status, output, output_images, is_error, started_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      );
      for (const call of commit.toolCalls) {
        insertCall.run(
          call.runId,
          call.stepIndex,
          call.position,
          call.callId,
          call.toolName,
          call.input,
          call.status,
          call.output ?? null,
          imagesColumn(call.outputImages),
          call.isError ? 1 : 0,
          call.startedAt ?? null,
        );
      }
      // Only the totals are read (the settings are not parsed): the run's new totals are these plus the step's.
      const totals = this.statement("SELECT status, usage, cost_usd, step_count FROM runs WHERE id = ?").get(
        step.runId,
      ) as Row | undefined;
      if (!totals) throw new Error(`Run ${step.runId} does not exist; nothing of this step was written.`);
      const updatedAt = now();
      const after = {
        status: String(totals.status) as RunStatus,
        usage: addUsage(JSON.parse(String(totals.usage)), step.usage),
        costUsd: Usd.add(String(totals.cost_usd), step.costUsd),
        stepCount: Math.max(Number(totals.step_count), step.index + 1),
        updatedAt,
      };
      const updated = this.statement(
        `UPDATE runs SET usage = ?, cost_usd = ?, step_count = ?, updated_at = ?
         WHERE id = ? AND (? IS NULL OR lease_owner = ?)`,
      ).run(
        JSON.stringify(after.usage),
        after.costUsd,
        after.stepCount,
        updatedAt,
        step.runId,
        commit.leaseOwner ?? null,
        commit.leaseOwner ?? null,
      );
      // Thrown inside the transaction: nothing of the step is kept.
      if (updated.changes === 0) throw new LeaseLostError(step.runId, commit.leaseOwner!);
      return after;
    });
    return commit.run ? { ...commit.run, ...changed } : this.readRun(commit.step.runId)!;
  }

  async recordLedger(entry: LedgerEntry, settlesHoldId?: string): Promise<void> {
    this.recordLedgerTransaction(entry, settlesHoldId);
    if (++this.ledgerWrites === ledgerWritesBeforeBackgroundCheckpoints) this.checkpointInBackground();
  }

  private insertLedger(entry: LedgerEntry): void {
    this.statement(
      "INSERT INTO ledger (at, key_id, run_id, model, usage, cost_usd, price) VALUES (?, ?, ?, ?, ?, ?, ?)",
    ).run(
      entry.at,
      entry.keyId ?? null,
      entry.runId ?? null,
      entry.model,
      JSON.stringify(entry.usage),
      entry.costUsd,
      JSON.stringify(entry.price),
    );
    if (entry.keyId) {
      const row = this.statement("SELECT spent_usd FROM api_keys WHERE id = ?").get(entry.keyId) as Row | undefined;
      if (row) {
        this.statement("UPDATE api_keys SET spent_usd = ? WHERE id = ?").run(
          Usd.add(String(row.spent_usd), entry.costUsd),
          entry.keyId,
        );
      }
    }
  }

  async recordStepStart(runId: string, start: StepStart, options: StepStartOptions = {}): Promise<EventRecord[]> {
    const { along, leaseOwner } = options;
    return this.atomically(() => {
      if (along) this.changeToolCalls(runId, along.toolCalls);
      const result = this.statement(
        `UPDATE runs SET started_step = ?, started_prompt_tokens = ?, started_max_output_tokens = ?
         WHERE id = ? AND (? IS NULL OR lease_owner = ?)`,
      ).run(start.index, start.promptTokens, start.maxOutputTokens, runId, leaseOwner ?? null, leaseOwner ?? null);
      // Thrown inside the transaction: what rode along is rolled back with it.
      if (result.changes === 0 && leaseOwner !== undefined) throw new LeaseLostError(runId, leaseOwner);
      return along ? this.insertEvents(runId, along.events) : [];
    });
  }

  async lastStepStart(runId: string): Promise<StepStart | undefined> {
    const row = this.statement(
      "SELECT started_step, started_prompt_tokens, started_max_output_tokens FROM runs WHERE id = ?",
    ).get(runId) as Row | undefined;
    if (!row || row.started_step === null) return undefined;
    return {
      index: Number(row.started_step),
      promptTokens: Number(row.started_prompt_tokens),
      maxOutputTokens: Number(row.started_max_output_tokens),
    };
  }

  async listSteps(runId: string): Promise<StepRecord[]> {
    const rows = this.statement("SELECT * FROM steps WHERE run_id = ? ORDER BY step_index").all(runId) as Row[];
    return rows.map((row) => ({
      runId: String(row.run_id),
      index: Number(row.step_index),
      assistant: JSON.parse(String(row.assistant)),
      finishReason: String(row.finish_reason),
      usage: JSON.parse(String(row.usage)),
      costUsd: String(row.cost_usd),
      price: JSON.parse(String(row.price)),
      model: String(row.model),
      createdAt: String(row.created_at),
    }));
  }

  async addRunMessage(runId: string, content: string): Promise<AddedRunMessage | undefined> {
    return this.atomically(() => {
      const run = this.statement("SELECT status, step_count, lease_owner FROM runs WHERE id = ?").get(runId) as
        | Row
        | undefined;
      if (!run || run.lease_owner !== null || !continuableStatuses.includes(String(run.status) as RunStatus)) {
        return undefined;
      }
      const count = this.statement("SELECT COUNT(*) AS count FROM run_messages WHERE run_id = ?").get(runId) as Row;
      const message: RunMessage = {
        runId,
        index: Number(count.count),
        afterStep: Number(run.step_count),
        content,
        createdAt: now(),
      };
      this.statement(
        "INSERT INTO run_messages (run_id, message_index, after_step, content, created_at) VALUES (?, ?, ?, ?, ?)",
      ).run(runId, message.index, message.afterStep, content, message.createdAt);
      this.statement("UPDATE runs SET status = 'queued', error = NULL, updated_at = ? WHERE id = ?").run(
        message.createdAt,
        runId,
      );
      const event = this.insertEvent(runId, "user-message", userMessageEvent(message), message.createdAt);
      return { ...message, event };
    });
  }

  async listRunMessages(runId: string): Promise<RunMessage[]> {
    const rows = this.statement("SELECT * FROM run_messages WHERE run_id = ? ORDER BY message_index").all(
      runId,
    ) as Row[];
    return rows.map((row) => ({
      runId: String(row.run_id),
      index: Number(row.message_index),
      afterStep: Number(row.after_step),
      content: String(row.content),
      createdAt: String(row.created_at),
    }));
  }

  async listToolCalls(runId: string): Promise<ToolCallRecord[]> {
    const rows = this.statement("SELECT * FROM tool_calls WHERE run_id = ? ORDER BY step_index, position").all(
      runId,
    ) as Row[];
    return rows.map((row) => ({
      runId: String(row.run_id),
      stepIndex: Number(row.step_index),
      position: Number(row.position),
      callId: String(row.call_id),
      toolName: String(row.tool_name),
      input: String(row.input),
      status: String(row.status) as ToolCallRecord["status"],
      output: text(row.output),
      ...(row.output_images ? { outputImages: JSON.parse(String(row.output_images)) } : {}),
      isError: row.is_error === 1,
      startedAt: text(row.started_at),
      finishedAt: text(row.finished_at),
    }));
  }

  async updateToolCall(runId: string, callId: string, change: ToolCallChange): Promise<void> {
    this.changeToolCall(runId, callId, change);
  }

  async updateToolCalls(runId: string, changes: PendingWrites["toolCalls"]): Promise<void> {
    this.atomically(() => this.changeToolCalls(runId, changes));
  }

  private changeToolCalls(runId: string, changes: PendingWrites["toolCalls"]): void {
    for (const { callId, change } of changes) this.changeToolCall(runId, callId, change);
  }

  private changeToolCall(runId: string, callId: string, change: ToolCallChange): void {
    const columns: Record<string, string> = {
      status: "status",
      output: "output",
      outputImages: "output_images",
      isError: "is_error",
      startedAt: "started_at",
      finishedAt: "finished_at",
    };
    const entries = Object.entries(change).filter(([, value]) => value !== undefined);
    if (entries.length === 0) return;
    const assignments = entries.map(([key]) => `${columns[key]} = ?`).join(", ");
    const values = entries.map(([key, value]) =>
      key === "isError" ? (value ? 1 : 0) : key === "outputImages" ? imagesColumn(value as StoredImage[]) : value,
    );
    this.statement(`UPDATE tool_calls SET ${assignments} WHERE run_id = ? AND call_id = ?`).run(
      ...values,
      runId,
      callId,
    );
  }

  async appendEvent(runId: string, type: string, data: unknown): Promise<EventRecord> {
    return this.insertEvent(runId, type, data, now());
  }

  async appendEvents(runId: string, events: readonly NewEvent[]): Promise<EventRecord[]> {
    if (events.length === 0) return [];
    return this.atomically(() => this.insertEvents(runId, events));
  }

  private insertEvents(runId: string, events: readonly NewEvent[]): EventRecord[] {
    const at = now();
    return events.map((event) => this.insertEvent(runId, event.type, event.data, at));
  }

  private insertEvent(runId: string, type: string, data: unknown, at: string): EventRecord {
    const result = this.statement("INSERT INTO events (run_id, type, data, at) VALUES (?, ?, ?, ?)").run(
      runId,
      type,
      JSON.stringify(data ?? null),
      at,
    );
    return { sequence: Number(result.lastInsertRowid), runId, type, data, at };
  }

  async listEvents(runId: string, afterSequence = 0): Promise<EventRecord[]> {
    const rows = this.statement("SELECT * FROM events WHERE run_id = ? AND sequence > ? ORDER BY sequence").all(
      runId,
      afterSequence,
    ) as Row[];
    return rows.map(eventFromRow);
  }

  async lastEvent(runId: string, type: string): Promise<EventRecord | undefined> {
    const row = this.statement("SELECT * FROM events WHERE run_id = ? AND type = ? ORDER BY sequence DESC LIMIT 1").get(
      runId,
      type,
    ) as Row | undefined;
    return row ? eventFromRow(row) : undefined;
  }

  async createApiKey(record: ApiKeyRecord): Promise<void> {
    this.statement(
      `INSERT INTO api_keys (id, name, prefix, hash, budget_usd, requests_per_minute, concurrency, admin, created_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    ).run(
      record.id,
      record.name,
      record.prefix,
      record.hash,
      record.budgetUsd ?? null,
      record.requestsPerMinute ?? null,
      record.concurrency ?? null,
      record.admin ? 1 : 0,
      record.createdAt,
    );
  }

  async findApiKeyByHash(hash: string): Promise<ApiKeyRecord | undefined> {
    const now = Date.now();
    const known = this.keysByHash.get(hash);
    if (known && known.until > now) return known.record;
    const row = this.statement("SELECT * FROM api_keys WHERE hash = ?").get(hash) as Row | undefined;
    if (!row) {
      this.keysByHash.delete(hash);
      return undefined;
    }
    const record = apiKeyFromRow(row);
    this.keysByHash.set(hash, { record, until: now + keyLookupMilliseconds });
    return record;
  }

  async listApiKeys(): Promise<ApiKeyRecord[]> {
    return (this.statement("SELECT * FROM api_keys ORDER BY created_at").all() as Row[]).map(apiKeyFromRow);
  }

  async revokeApiKey(idOrPrefix: string): Promise<boolean> {
    this.keysByHash.clear();
    const result = this.statement(
      "UPDATE api_keys SET revoked_at = ? WHERE (id = ? OR prefix = ?) AND revoked_at IS NULL",
    ).run(now(), idOrPrefix, idOrPrefix);
    return result.changes > 0;
  }

  async budgetStandings(accounts: readonly BudgetAccount[]): Promise<BudgetStanding[]> {
    return this.budgetHolds.standings(accounts);
  }

  async holdBudget(request: BudgetHoldRequest): Promise<BudgetHoldResult> {
    return this.budgetHolds.hold(request);
  }

  async releaseBudgetHold(holdId: string): Promise<void> {
    this.budgetHolds.release(holdId);
  }

  async spentByKey(keyId: string): Promise<string> {
    const row = this.statement("SELECT spent_usd FROM api_keys WHERE id = ?").get(keyId) as Row | undefined;
    return row ? String(row.spent_usd) : "0";
  }

  async usageRows(filter: { keyId?: string } = {}): Promise<UsageRow[]> {
    const rows = (
      filter.keyId === undefined
        ? this.statement("SELECT * FROM ledger ORDER BY id").all()
        : this.statement("SELECT * FROM ledger WHERE key_id = ? ORDER BY id").all(filter.keyId)
    ) as Row[];
    return usageRowsOf(rows.map(ledgerLineOfRow));
  }

  async ledgerLines(filter: { since?: string; keyId?: string } = {}): Promise<LedgerLine[]> {
    const rows = this.database
      .prepare("SELECT * FROM ledger WHERE (? IS NULL OR at >= ?) AND (? IS NULL OR key_id = ?) ORDER BY id")
      .all(filter.since ?? null, filter.since ?? null, filter.keyId ?? null, filter.keyId ?? null) as Row[];
    return rows.map(ledgerLineOfRow);
  }

  async close(): Promise<void> {
    this.checkpointer?.stop();
    this.database.close();
  }

  async admitKeyRequest(request: KeyAdmissionRequest): Promise<KeyAdmission> {
    return this.keyLimits.admit(request);
  }

  async releaseKeySlot(slotId: string): Promise<void> {
    this.keyLimits.release(slotId);
  }

  async renewKeySlots(slotIds: readonly string[], expiresAt: number): Promise<void> {
    this.keyLimits.renew(slotIds, expiresAt);
  }

  async keySlots(keyId: string): Promise<KeySlot[]> {
    return this.keyLimits.slotsOf(keyId);
  }

  async addPendingRunMessage(runId: string, content: string): Promise<PendingRunMessage> {
    const message = { runId, content, createdAt: now() };
    this.statement("INSERT INTO run_pending_messages (run_id, content, created_at) VALUES (?, ?, ?)").run(
      runId,
      content,
      message.createdAt,
    );
    return message;
  }

  async listPendingRunMessages(runId: string): Promise<PendingRunMessage[]> {
    const rows = this.statement("SELECT * FROM run_pending_messages WHERE run_id = ? ORDER BY sequence").all(
      runId,
    ) as Row[];
    return rows.map((row) => ({ runId, content: String(row.content), createdAt: String(row.created_at) }));
  }

  async deliverPendingRunMessages(runId: string, options: { leaseOwner?: string } = {}): Promise<AddedRunMessage[]> {
    return this.atomically(() => {
      const run = this.statement("SELECT status, step_count, lease_owner FROM runs WHERE id = ?").get(runId) as
        | Row
        | undefined;
      if (!run || !pendingDeliverable(run.status, run.lease_owner, options.leaseOwner)) return [];
      const pending = this.statement("SELECT * FROM run_pending_messages WHERE run_id = ? ORDER BY sequence").all(
        runId,
      ) as Row[];
      if (pending.length === 0) return [];
      const count = this.statement("SELECT COUNT(*) AS count FROM run_messages WHERE run_id = ?").get(runId) as Row;
      const at = now();
      const added = pending.map((row, offset) => {
        const message: RunMessage = {
          runId,
          index: Number(count.count) + offset,
          afterStep: Number(run.step_count),
          content: String(row.content),
          createdAt: at,
        };
        this.statement(
          "INSERT INTO run_messages (run_id, message_index, after_step, content, created_at) VALUES (?, ?, ?, ?, ?)",
        ).run(runId, message.index, message.afterStep, message.content, at);
        const event = this.insertEvent(runId, "user-message", userMessageEvent(message), at);
        return { ...message, event };
      });
      this.statement("DELETE FROM run_pending_messages WHERE run_id = ?").run(runId);
      if (options.leaseOwner === undefined) {
        this.statement("UPDATE runs SET status = 'queued', error = NULL, updated_at = ? WHERE id = ?").run(at, runId);
      }
      return added;
    });
  }

  async saveResponse(response: StoredResponse): Promise<void> {
    this.statement(
      `INSERT INTO responses (id, owner_key_id, previous_response_id, model, input_items, output_items, created_at)
       VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO NOTHING`,
    ).run(
      response.id,
      response.ownerKeyId ?? null,
      response.previousResponseId ?? null,
      response.model,
      JSON.stringify(response.inputItems),
      JSON.stringify(response.outputItems),
      response.createdAt,
    );
  }

  async getResponse(id: string): Promise<StoredResponse | undefined> {
    const row = this.statement("SELECT * FROM responses WHERE id = ?").get(id) as Row | undefined;
    return row ? storedResponseOfRow(row) : undefined;
  }
}

function apiKeyFromRow(row: Row): ApiKeyRecord {
  return {
    id: String(row.id),
    name: String(row.name),
    prefix: String(row.prefix),
    hash: String(row.hash),
    budgetUsd: text(row.budget_usd),
    requestsPerMinute: row.requests_per_minute === null ? undefined : Number(row.requests_per_minute),
    concurrency: row.concurrency === null ? undefined : Number(row.concurrency),
    ...(Number(row.admin) === 1 ? { admin: true } : {}),
    createdAt: String(row.created_at),
    revokedAt: text(row.revoked_at),
  };
}

const ledgerLineOfRow = (row: Row): LedgerLine => ({
  keyId: text(row.key_id),
  runId: text(row.run_id),
  model: String(row.model),
  at: String(row.at),
  usage: JSON.parse(String(row.usage)) as TokenUsage,
  costUsd: String(row.cost_usd),
});
