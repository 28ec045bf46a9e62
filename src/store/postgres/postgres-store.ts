import { randomUUID } from "node:crypto";
import { addUsage, emptyUsage } from "../../cost/usage.ts";
import { Usd } from "../../cost/usd.ts";
import type { BudgetAccount, BudgetHoldRequest, BudgetHoldResult, BudgetStanding } from "../budget-records.ts";
import type { CheckpointAfter, FileCheckpoint, NewFileCheckpoint } from "../checkpoint-records.ts";
import { leaseIsClaimable } from "../claimable-lease.ts";
import type { KeyAdmission, KeyAdmissionRequest, KeySlot } from "../key-admission.ts";
import { LeaseLostError } from "../lease-lost-error.ts";
import { pendingDeliverable } from "../pending-deliverable.ts";
import type {
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
} from "../records.ts";
import { continuableStatuses } from "../records.ts";
import type { StoredResponse } from "../response-records.ts";
import { runStateFromRow, storedResponseOfRow } from "../sql-rows.ts";
import type {
  AddedRunMessage,
  NewEvent,
  PendingWrites,
  RunListFilter,
  StepCommit,
  StepStartOptions,
  Store,
  ToolCallChange,
} from "../store.ts";
import type { StoreNotifications } from "../store-notifications.ts";
import type { LedgerLine } from "../usage-rows.ts";
import { userMessageEvent } from "../user-message-event.ts";
import { postgresBudgetHolds, type Queryable } from "./postgres-budget-holds.ts";
import { eventsChannelSql, queuedChannelSql, runsChannelSql } from "./postgres-channels.ts";
import { postgresCheckpoints } from "./postgres-checkpoints.ts";
import { PostgresConnection, type PostgresStoreOptions } from "./postgres-connection.ts";
import { postgresEventLog } from "./postgres-event-log.ts";
import { postgresKeyLimits } from "./postgres-key-limits.ts";
import { PostgresKeyStore } from "./postgres-key-store.ts";
import { postgresLedger } from "./postgres-ledger.ts";
import { PostgresListener } from "./postgres-listener.ts";
import { type Row, runFromRow, stepFromRow, toolCallFromRow } from "./postgres-rows.ts";
import { takePoolSize } from "./store-url-pool-size.ts";

const now = () => new Date().toISOString();
/** Wakes workers listening on this schema; sent at the commit of the transaction it runs in (or at once alone). */
const notifyQueued = (client: Queryable, runId: string) =>
  client.query(`SELECT pg_notify(${queuedChannelSql}, $1)`, [runId]);
/** Wakes runs-list followers: a run's row changed (sent at commit, as notifyQueued). */
const notifyRunChanged = (client: Queryable, runId: string) =>
  client.query(`SELECT pg_notify(${runsChannelSql}, $1)`, [runId]);
const imagesColumn = (images: StoredImage[] | undefined): string | null =>
  images && images.length > 0 ? JSON.stringify(images) : null;
const toolCallColumns: Record<string, string> = {
  status: "status",
  output: "output",
  outputImages: "output_images",
  isError: "is_error",
  startedAt: "started_at",
  finishedAt: "finished_at",
};

/**
 * The shared store: runs, steps, events, ledger and keys in one PostgreSQL database, for many processes and
 * machines. Every multi-row write is one transaction; rows a write depends on are locked (FOR UPDATE) first.
 */
export class PostgresStore implements Store {
  private readonly connection: PostgresConnection;
  private readonly keys: PostgresKeyStore;
  private readonly listener: PostgresListener;
  /** Events and queued runs of every process on the database, as they commit (LISTEN/NOTIFY). */
  readonly notifications: StoreNotifications;

  constructor(options: PostgresStoreOptions) {
    this.connection = new PostgresConnection(options);
    this.keys = new PostgresKeyStore(this.connection);
    // The listener's one connection is not of the pool: the URL's pool_size is not the driver's to read.
    this.listener = new PostgresListener({ ...options, url: takePoolSize(options.url).url });
    this.notifications = this.listener;
  }

  private query(sql: string, values: unknown[] = []) {
    return this.connection.query<Row>(sql, values);
  }

  async createRun(input: NewRunRecord): Promise<RunRecord> {
    const id = input.id ?? `run_${randomUUID().replaceAll("-", "").slice(0, 20)}`;
    const at = now();
    // The notices ride in the insert, heard at its commit: a worker or list follower woken by them finds the row.
    const { rows } = await this.query(
      `INSERT INTO runs (id, status, settings, owner_key_id, usage, cost_usd, step_count, created_at, updated_at,
         parent_run_id, parent_call_id)
       VALUES ($1, 'queued', $2, $3, $4, 0, 0, $5, $5, $7, $8)
       RETURNING *, pg_notify(${runsChannelSql}, id) AS run_notified,
         CASE WHEN $6 THEN pg_notify(${queuedChannelSql}, id) END AS queued_notified`,
      [
        id,
        JSON.stringify(input.settings),
        input.ownerKeyId ?? null,
        JSON.stringify(emptyUsage()),
        at,
        !!input.settings.onWorkers,
        input.parentRunId ?? null,
        input.parentCallId ?? null,
      ],
    );
    return runFromRow(rows[0]!);
  }

  async getRun(id: string): Promise<RunRecord | undefined> {
    const { rows } = await this.query("SELECT * FROM runs WHERE id = $1", [id]);
    return rows[0] ? runFromRow(rows[0]) : undefined;
  }

  async listChildRuns(runId: string): Promise<RunRecord[]> {
    const { rows } = await this.query("SELECT * FROM runs WHERE parent_run_id = $1 ORDER BY created_at, position", [
      runId,
    ]);
    return rows.map((row) => runFromRow(row));
  }

  async listRuns(filter: RunListFilter = {}): Promise<RunRecord[]> {
    const conditions: string[] = [];
    const values: unknown[] = [];
    const where = (condition: (parameter: string) => string, value: unknown) => {
      values.push(value);
      conditions.push(condition(`$${values.length}`));
    };
    if (filter.ownerKeyId !== undefined) where((p) => `owner_key_id = ${p}`, filter.ownerKeyId);
    if (filter.status !== undefined) where((p) => `status = ${p}`, filter.status);
    if (filter.model !== undefined) where((p) => `(settings::jsonb ->> 'model') = ${p}`, filter.model);
    // strpos on lower-cased text, not LIKE: the searched text may hold % and _.
    if (filter.taskContains !== undefined)
      where((p) => `strpos(lower(settings::jsonb ->> 'task'), lower(${p})) > 0`, filter.taskContains);
    if (filter.beforeRunId !== undefined)
      where(
        (p) => `(created_at, position) < (SELECT created_at, position FROM runs WHERE id = ${p})`,
        filter.beforeRunId,
      );
    if (filter.updatedSince !== undefined) where((p) => `updated_at >= ${p}`, filter.updatedSince);
    values.push(filter.limit ?? 100);
    const { rows } = await this.query(
      `SELECT * FROM runs ${conditions.length > 0 ? `WHERE ${conditions.join(" AND ")}` : ""}
       ORDER BY created_at DESC, position DESC LIMIT $${values.length}`,
      values,
    );
    return rows.map(runFromRow);
  }

  async updateRunSettings(id: string, settings: RunSettings): Promise<void> {
    await this.query("UPDATE runs SET settings = $1, updated_at = $2 WHERE id = $3", [
      JSON.stringify(settings),
      now(),
      id,
    ]);
    await notifyRunChanged(this.connection, id);
  }

  async setRunStatus(
    id: string,
    status: RunStatus,
    details: { output?: string; error?: string } = {},
  ): Promise<RunRecord> {
    const written = await writeRunStatus(this.connection, id, status, details);
    if (status === "queued") await notifyQueued(this.connection, id);
    return written ?? (await this.getRun(id))!;
  }

  async setRunStatusWithEvent(
    id: string,
    status: RunStatus,
    event: NewEvent,
    details: { output?: string; error?: string } = {},
  ): Promise<{ run: RunRecord; event?: EventRecord }> {
    const at = now();
    // One statement, atomic on its own (no BEGIN and COMMIT round trips): the status, its event only when the status
    // was written (a cancel stays), and their notices, heard at commit, never before the rows can be read.
    const { rows } = await this.query(
      `WITH updated AS (
         UPDATE runs SET status = $1, output = COALESCE($2, output), error = $3, updated_at = $4
         WHERE id = $5 AND (status != 'cancelled' OR $1 = 'cancelled') RETURNING *
       ), inserted AS (
         INSERT INTO events (run_id, type, data, at) SELECT id, $6, $7, $4 FROM updated RETURNING sequence, run_id
       )
       SELECT updated.*, inserted.sequence AS event_sequence,
         pg_notify(${runsChannelSql}, updated.id) AS run_notified,
         CASE WHEN $1 = 'queued' THEN pg_notify(${queuedChannelSql}, updated.id) END AS queued_notified,
         pg_notify(${eventsChannelSql}, inserted.sequence || ':' || inserted.run_id) AS event_notified
       FROM updated CROSS JOIN inserted`,
      [status, details.output ?? null, details.error ?? null, at, id, event.type, JSON.stringify(event.data ?? null)],
    );
    const row = rows[0];
    // Read only when the status was not applied (a cancel stays): else the row as the statement left it.
    if (!row) return { run: (await this.getRun(id))! };
    const stored = { sequence: Number(row.event_sequence), runId: id, type: event.type, data: event.data, at };
    return { run: runFromRow(row), event: stored };
  }

  async claimRun(id: string, owner: string, leaseMilliseconds: number, replacing?: string): Promise<boolean> {
    const result = await this.query(
      `UPDATE runs SET lease_owner = $1, lease_until = $2
       WHERE id = $3 AND (lease_owner IS NULL OR lease_owner = $1 OR lease_owner = $4)`,
      [owner, Date.now() + leaseMilliseconds, id, replacing ?? owner],
    );
    return result.rowCount === 1;
  }

  async claimQueuedRun(owner: string, leaseMilliseconds: number): Promise<RunRecord | undefined> {
    return await this.connection.transaction(async (client) => {
      const at = Date.now();
      const { rows: candidates } = await client.query(
        `SELECT id, lease_owner, lease_until FROM runs
         WHERE status IN ('queued', 'running') AND (settings::jsonb ->> 'onWorkers') = 'true'
         ORDER BY created_at, position`,
      );
      // Runs held by live owners are left out before any row is locked: one round trip each made a claim among
      // hundreds of running runs take hundreds of queries. The lease is checked again on the locked row below.
      const claimable = (candidates as Row[]).filter((row) => leaseIsClaimable(leaseOfRow(row), at));
      // Oldest first, one row locked at a time: a run another worker is claiming right now is skipped, not waited
      // for, and the others stay free for the claimers beside this one.
      for (const candidate of claimable) {
        const { rows } = await client.query(
          `SELECT lease_owner, lease_until FROM runs
           WHERE id = $1 AND status IN ('queued', 'running') FOR UPDATE SKIP LOCKED`,
          [candidate.id],
        );
        const row = rows[0] as Row | undefined;
        if (!row || !leaseIsClaimable(leaseOfRow(row), at)) continue;
        // The claimed run comes back with the update: no read after the claim.
        const claimed = await client.query<Row>(
          "UPDATE runs SET lease_owner = $1, lease_until = $2 WHERE id = $3 RETURNING *",
          [owner, at + leaseMilliseconds, candidate.id],
        );
        return runFromRow(claimed.rows[0]!);
      }
      return undefined;
    }, "claims");
  }

  async renewRun(id: string, owner: string, leaseMilliseconds: number): Promise<boolean> {
    const result = await this.query("UPDATE runs SET lease_until = $1 WHERE id = $2 AND lease_owner = $3", [
      Date.now() + leaseMilliseconds,
      id,
      owner,
    ]);
    return result.rowCount === 1;
  }

  async releaseRun(id: string, owner: string): Promise<void> {
    // One statement, atomic on its own (no BEGIN and COMMIT round trips): only when this owner held the lease, the
    // holds the executor left go too (it has no call in flight: a bill that failed), and workers hear that the run
    // is claimable again (a run let go unfinished, by a worker's stop).
    await this.query(
      `WITH released AS (
         UPDATE runs SET lease_owner = NULL, lease_until = NULL WHERE id = $1 AND lease_owner = $2 RETURNING id
       ), holds AS (
         DELETE FROM budget_holds WHERE run_id IN (SELECT id FROM released)
       )
       SELECT pg_notify(${queuedChannelSql}, id) FROM released`,
      [id, owner],
    );
  }

  async leaseOf(id: string): Promise<{ owner: string; expiresAt: number } | undefined> {
    const { rows } = await this.query("SELECT lease_owner, lease_until FROM runs WHERE id = $1", [id]);
    const row = rows[0];
    if (!row || row.lease_owner === null) return undefined;
    return { owner: String(row.lease_owner), expiresAt: Number(row.lease_until ?? 0) };
  }

  async startToolCall(runId: string, callId: string, startedAt: string): Promise<boolean> {
    const result = await this.query(
      `UPDATE tool_calls SET status = 'started', started_at = $1
       WHERE run_id = $2 AND call_id = $3 AND status IN ('planned', 'approved', 'started')`,
      [startedAt, runId, callId],
    );
    return result.rowCount === 1;
  }

  async commitStep(commit: StepCommit): Promise<RunRecord> {
    const { step } = commit;
    const changed = await this.connection.transaction(async (client) => {
      // Locked first, key then run: the order a budget hold locks them in, so the two never wait on each other.
      if (commit.ledger.keyId) {
        await client.query("SELECT id FROM api_keys WHERE id = $1 FOR UPDATE", [commit.ledger.keyId]);
      }
      const { rows } = await client.query<Row>(
        "SELECT status, usage, cost_usd, step_count, lease_owner FROM runs WHERE id = $1 FOR UPDATE",
        [step.runId],
      );
      const totals = rows[0];
      if (!totals) throw new Error(`Run ${step.runId} does not exist; nothing of this step was written.`);
      // Thrown inside the transaction: nothing of the step is kept.
      if (commit.leaseOwner !== undefined && totals.lease_owner !== commit.leaseOwner) {
        throw new LeaseLostError(step.runId, commit.leaseOwner);
      }
      // The step bills the run's call: its hold is settled by the same statement (one round trip, not two).
      await client.query(
        `WITH settled AS (DELETE FROM budget_holds WHERE run_id = $1)
         INSERT INTO steps (run_id, step_index, assistant, finish_reason, usage, cost_usd, price, model, created_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
        [
          step.runId,
          step.index,
          JSON.stringify(step.assistant),
          step.finishReason,
          JSON.stringify(step.usage),
          step.costUsd,
          JSON.stringify(step.price),
          step.model,
          step.createdAt,
        ],
      );
      await postgresLedger.insert(client, commit.ledger);
      for (const call of commit.toolCalls) {
        await client.query(
          `INSERT INTO tool_calls
             (run_id, step_index, position, call_id, tool_name, input, status, output, output_images, is_error, started_at)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)`,
          [
            call.runId,
            call.stepIndex,
            call.position,
            call.callId,
            call.toolName,
            call.input,
            call.status,
            call.output ?? null,
            imagesColumn(call.outputImages),
            call.isError,
            call.startedAt ?? null,
          ],
        );
      }
      const after = {
        status: String(totals.status) as RunStatus,
        usage: addUsage(JSON.parse(String(totals.usage)), step.usage),
        costUsd: Usd.add(String(totals.cost_usd), step.costUsd),
        stepCount: Math.max(Number(totals.step_count), step.index + 1),
        updatedAt: now(),
      };
      // Runs-list followers are woken by the update itself (at commit): no statement of its own.
      await client.query(
        `UPDATE runs SET usage = $1, cost_usd = $2, step_count = $3, updated_at = $4 WHERE id = $5
         RETURNING pg_notify(${runsChannelSql}, id)`,
        [JSON.stringify(after.usage), after.costUsd, after.stepCount, after.updatedAt, step.runId],
      );
      return after;
    });
    return commit.run ? { ...commit.run, ...changed } : (await this.getRun(step.runId))!;
  }

  async recordStepStart(runId: string, start: StepStart, options: StepStartOptions = {}): Promise<EventRecord[]> {
    const { along, leaseOwner } = options;
    return await this.connection.transaction(async (client) => {
      if (along) await changeToolCalls(client, runId, along.toolCalls);
      const result = await client.query(
        `UPDATE runs SET started_step = $1, started_prompt_tokens = $2, started_max_output_tokens = $3
         WHERE id = $4 AND ($5::text IS NULL OR lease_owner = $5)`,
        [start.index, start.promptTokens, start.maxOutputTokens, runId, leaseOwner ?? null],
      );
      // Thrown inside the transaction: what rode along is rolled back with it.
      if (result.rowCount === 0 && leaseOwner !== undefined) throw new LeaseLostError(runId, leaseOwner);
      return along ? await postgresEventLog.insertAll(client, runId, along.events) : [];
    });
  }

  async lastStepStart(runId: string): Promise<StepStart | undefined> {
    const { rows } = await this.query(
      "SELECT started_step, started_prompt_tokens, started_max_output_tokens FROM runs WHERE id = $1",
      [runId],
    );
    const row = rows[0];
    if (!row || row.started_step === null) return undefined;
    return {
      index: Number(row.started_step),
      promptTokens: Number(row.started_prompt_tokens),
      maxOutputTokens: Number(row.started_max_output_tokens),
    };
  }

  async listSteps(runId: string): Promise<StepRecord[]> {
    const { rows } = await this.query("SELECT * FROM steps WHERE run_id = $1 ORDER BY step_index", [runId]);
    return rows.map(stepFromRow);
  }

  async addRunMessage(runId: string, content: string): Promise<AddedRunMessage | undefined> {
    return await this.connection.transaction(async (client) => {
      // Locked: two messages added at once get indexes one after the other.
      const { rows } = await client.query<Row>(
        "SELECT status, step_count, lease_owner FROM runs WHERE id = $1 FOR UPDATE",
        [runId],
      );
      const run = rows[0];
      if (!run || run.lease_owner !== null || !continuableStatuses.includes(String(run.status) as RunStatus)) {
        return undefined;
      }
      const count = await client.query<Row>("SELECT COUNT(*) AS count FROM run_messages WHERE run_id = $1", [runId]);
      const message: RunMessage = {
        runId,
        index: Number(count.rows[0]!.count),
        afterStep: Number(run.step_count),
        content,
        createdAt: now(),
      };
      await client.query(
        "INSERT INTO run_messages (run_id, message_index, after_step, content, created_at) VALUES ($1, $2, $3, $4, $5)",
        [runId, message.index, message.afterStep, content, message.createdAt],
      );
      await client.query("UPDATE runs SET status = 'queued', error = NULL, updated_at = $1 WHERE id = $2", [
        message.createdAt,
        runId,
      ]);
      await notifyQueued(client, runId);
      await notifyRunChanged(client, runId);
      const event = await postgresEventLog.insert(
        client,
        runId,
        "user-message",
        userMessageEvent(message),
        message.createdAt,
      );
      return { ...message, event };
    });
  }

  async listRunMessages(runId: string): Promise<RunMessage[]> {
    const { rows } = await this.query("SELECT * FROM run_messages WHERE run_id = $1 ORDER BY message_index", [runId]);
    return rows.map((row) => ({
      runId: String(row.run_id),
      index: Number(row.message_index),
      afterStep: Number(row.after_step),
      content: String(row.content),
      createdAt: String(row.created_at),
    }));
  }

  async listToolCalls(runId: string): Promise<ToolCallRecord[]> {
    const { rows } = await this.query("SELECT * FROM tool_calls WHERE run_id = $1 ORDER BY step_index, position", [
      runId,
    ]);
    return rows.map(toolCallFromRow);
  }

  async updateToolCall(runId: string, callId: string, change: ToolCallChange): Promise<void> {
    await changeToolCalls(this.connection, runId, [{ callId, change }]);
  }

  async updateToolCalls(runId: string, changes: PendingWrites["toolCalls"]): Promise<void> {
    await this.connection.transaction((client) => changeToolCalls(client, runId, changes));
  }

  async budgetStandings(accounts: readonly BudgetAccount[]): Promise<BudgetStanding[]> {
    return await this.connection.transaction((client) => postgresBudgetHolds.standings(client, accounts));
  }

  async holdBudget(request: BudgetHoldRequest): Promise<BudgetHoldResult> {
    return await this.connection.transaction((client) => postgresBudgetHolds.hold(client, request));
  }

  async releaseBudgetHold(holdId: string): Promise<void> {
    await postgresBudgetHolds.release(this.connection, holdId);
  }

  async appendEvent(runId: string, type: string, data: unknown): Promise<EventRecord> {
    return await postgresEventLog.insert(this.connection, runId, type, data, now());
  }

  async appendEvents(runId: string, events: readonly NewEvent[]): Promise<EventRecord[]> {
    // One statement, atomic on its own: no BEGIN and COMMIT round trips around it.
    return await postgresEventLog.insertAll(this.connection, runId, events);
  }

  async listEvents(runId: string, afterSequence = 0): Promise<EventRecord[]> {
    return await postgresEventLog.list(this.connection, runId, afterSequence);
  }

  async lastEvent(runId: string, type: string): Promise<EventRecord | undefined> {
    return await postgresEventLog.last(this.connection, runId, type);
  }

  async recordLedger(entry: LedgerEntry, settlesHoldId?: string): Promise<void> {
    // The row that bills a call and the removal of its hold are one write: never counted twice, never not at all.
    await this.connection.transaction(async (client) => {
      await postgresLedger.insert(client, entry);
      if (settlesHoldId !== undefined) await postgresBudgetHolds.release(client, settlesHoldId);
    });
  }

  async spentByKey(keyId: string): Promise<string> {
    return await postgresLedger.spentByKey(this.connection, keyId);
  }

  async usageRows(filter: { keyId?: string } = {}): Promise<UsageRow[]> {
    return await postgresLedger.usageRows(this.connection, filter.keyId);
  }

  async ledgerLines(filter: { since?: string; keyId?: string } = {}): Promise<LedgerLine[]> {
    return await postgresLedger.lines(this.connection, filter);
  }

  createApiKey: Store["createApiKey"] = (record) => this.keys.createApiKey(record);
  findApiKeyByHash: Store["findApiKeyByHash"] = (hash) => this.keys.findApiKeyByHash(hash);
  listApiKeys: Store["listApiKeys"] = () => this.keys.listApiKeys();
  revokeApiKey: Store["revokeApiKey"] = (idOrPrefix) => this.keys.revokeApiKey(idOrPrefix);

  async close(): Promise<void> {
    await this.listener.close();
    await this.connection.close();
  }

  async runStatesOf(ids: readonly string[]): Promise<RunState[]> {
    if (ids.length === 0) return [];
    const { rows } = await this.query("SELECT id, status, lease_owner FROM runs WHERE id = ANY($1::text[])", [
      [...ids],
    ]);
    return rows.map(runStateFromRow);
  }

  async recordCheckpoints(checkpoints: readonly NewFileCheckpoint[]): Promise<void> {
    await postgresCheckpoints.record(this.connection, checkpoints);
  }

  async finishCheckpoints(runId: string, callId: string, afters: readonly CheckpointAfter[]): Promise<void> {
    await postgresCheckpoints.finish(this.connection, runId, callId, afters);
  }

  async listCheckpoints(runId: string): Promise<FileCheckpoint[]> {
    return await postgresCheckpoints.list(this.connection, runId);
  }

  async admitKeyRequest(request: KeyAdmissionRequest): Promise<KeyAdmission> {
    return await postgresKeyLimits.admit(this.connection, request);
  }

  async releaseKeySlot(slotId: string): Promise<void> {
    await postgresKeyLimits.release(this.connection, slotId);
  }

  async renewKeySlots(slotIds: readonly string[], expiresAt: number): Promise<void> {
    await postgresKeyLimits.renew(this.connection, slotIds, expiresAt);
  }

  async keySlots(keyId: string): Promise<KeySlot[]> {
    return await postgresKeyLimits.slotsOf(this.connection, keyId);
  }

  async addPendingRunMessage(runId: string, content: string): Promise<PendingRunMessage> {
    const message = { runId, content, createdAt: now() };
    await this.query("INSERT INTO run_pending_messages (run_id, content, created_at) VALUES ($1, $2, $3)", [
      runId,
      content,
      message.createdAt,
    ]);
    return message;
  }

  async listPendingRunMessages(runId: string): Promise<PendingRunMessage[]> {
    const { rows } = await this.query("SELECT * FROM run_pending_messages WHERE run_id = $1 ORDER BY sequence", [
      runId,
    ]);
    return rows.map((row) => ({ runId, content: String(row.content), createdAt: String(row.created_at) }));
  }

  async deliverPendingRunMessages(runId: string, options: { leaseOwner?: string } = {}): Promise<AddedRunMessage[]> {
    return await this.connection.transaction(async (client) => {
      const { rows } = await client.query<Row>(
        "SELECT status, step_count, lease_owner FROM runs WHERE id = $1 FOR UPDATE",
        [runId],
      );
      const run = rows[0];
      if (!run || !pendingDeliverable(run.status, run.lease_owner, options.leaseOwner)) return [];
      const pending = await client.query<Row>(
        "DELETE FROM run_pending_messages WHERE run_id = $1 RETURNING content, sequence",
        [runId],
      );
      if (pending.rows.length === 0) return [];
      const ordered = [...pending.rows].sort((left, right) => Number(left.sequence) - Number(right.sequence));
      const count = await client.query<Row>("SELECT COUNT(*) AS count FROM run_messages WHERE run_id = $1", [runId]);
      const at = now();
      const added: AddedRunMessage[] = [];
      for (const [offset, row] of ordered.entries()) {
        const message: RunMessage = {
          runId,
          index: Number(count.rows[0]!.count) + offset,
          afterStep: Number(run.step_count),
          content: String(row.content),
          createdAt: at,
        };
        await client.query(
          "INSERT INTO run_messages (run_id, message_index, after_step, content, created_at) VALUES ($1, $2, $3, $4, $5)",
          [runId, message.index, message.afterStep, message.content, at],
        );
        const event = await postgresEventLog.insert(client, runId, "user-message", userMessageEvent(message), at);
        added.push({ ...message, event });
      }
      if (options.leaseOwner === undefined) {
        await client.query("UPDATE runs SET status = 'queued', error = NULL, updated_at = $1 WHERE id = $2", [
          at,
          runId,
        ]);
        await notifyQueued(client, runId);
      }
      await notifyRunChanged(client, runId);
      return added;
    });
  }

  async saveResponse(response: StoredResponse): Promise<void> {
    await this.query(
      `INSERT INTO responses (id, owner_key_id, previous_response_id, model, input_items, output_items, created_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (id) DO NOTHING`,
      [
        response.id,
        response.ownerKeyId ?? null,
        response.previousResponseId ?? null,
        response.model,
        JSON.stringify(response.inputItems),
        JSON.stringify(response.outputItems),
        response.createdAt,
      ],
    );
  }

  async getResponse(id: string): Promise<StoredResponse | undefined> {
    const { rows } = await this.query("SELECT * FROM responses WHERE id = $1", [id]);
    return rows[0] ? storedResponseOfRow(rows[0]) : undefined;
  }
}

/**
 * The run as written, or undefined when the status was not: a cancel is final, no later status may overwrite it,
 * whichever process writes. Runs-list followers are woken by the same statement, only when it wrote.
 */
async function writeRunStatus(
  client: Queryable,
  id: string,
  status: RunStatus,
  details: { output?: string; error?: string },
): Promise<RunRecord | undefined> {
  const result = await client.query(
    `UPDATE runs SET status = $1, output = COALESCE($2, output), error = $3, updated_at = $4
     WHERE id = $5 AND (status != 'cancelled' OR $1 = 'cancelled')
     RETURNING *, pg_notify(${runsChannelSql}, id) AS notified`,
    [status, details.output ?? null, details.error ?? null, now(), id],
  );
  const row = (result.rows as Row[])[0];
  return row ? runFromRow(row) : undefined;
}

/** Tool-call changes in order, each one UPDATE of the columns it names. */
async function changeToolCalls(client: Queryable, runId: string, changes: PendingWrites["toolCalls"]): Promise<void> {
  for (const { callId, change } of changes) {
    const entries = Object.entries(change).filter(([, value]) => value !== undefined);
    if (entries.length === 0) continue;
    const assignments = entries.map(([key], index) => `${toolCallColumns[key]} = $${index + 1}`).join(", ");
    const values = entries.map(([key, value]) =>
      key === "outputImages" ? imagesColumn(value as StoredImage[]) : value,
    );
    await client.query(
      `UPDATE tool_calls SET ${assignments} WHERE run_id = $${entries.length + 1} AND call_id = $${entries.length + 2}`,
      [...values, runId, callId],
    );
  }
}

/** The lease a runs row holds, if any. */
const leaseOfRow = (row: Row) =>
  row.lease_owner === null ? undefined : { owner: String(row.lease_owner), expiresAt: Number(row.lease_until) };
