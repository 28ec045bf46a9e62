import type Database from "better-sqlite3";
import {
  type KeyAdmission,
  type KeyAdmissionRequest,
  type KeySlot,
  keyRequestWindowMilliseconds,
  reclaimableSlots,
  retryAfterSeconds,
} from "./key-admission.ts";

type Row = Record<string, unknown>;

/**
 * Keys' requests-per-minute windows and concurrency slots in SQLite. An admission is one IMMEDIATE transaction
 * (the write lock first, then the reads), so gateways in several processes on one file count together.
 */
export class SqliteKeyLimits {
  private readonly admitTransaction: Database.Transaction<(request: KeyAdmissionRequest) => KeyAdmission>;

  constructor(
    database: Database.Database,
    private readonly statement: (sql: string) => Database.Statement,
  ) {
    this.admitTransaction = database.transaction((request: KeyAdmissionRequest) => this.admitNow(request));
  }

  admit(request: KeyAdmissionRequest): KeyAdmission {
    return this.admitTransaction.immediate(request);
  }

  release(slotId: string): void {
    this.statement("DELETE FROM key_slots WHERE slot_id = ?").run(slotId);
  }

  renew(slotIds: readonly string[], expiresAt: number): void {
    const renew = this.statement("UPDATE key_slots SET expires_at = ? WHERE slot_id = ?");
    for (const slotId of slotIds) renew.run(expiresAt, slotId);
  }

  slotsOf(keyId: string): KeySlot[] {
    const rows = this.statement("SELECT slot_id, owner, expires_at FROM key_slots WHERE key_id = ?").all(
      keyId,
    ) as Row[];
    return rows.map((row) => ({
      slotId: String(row.slot_id),
      owner: String(row.owner),
      expiresAt: Number(row.expires_at),
    }));
  }

  private admitNow(request: KeyAdmissionRequest): KeyAdmission {
    const { keyId, now } = request;
    if (request.requestsPerMinute !== undefined) {
      this.statement("DELETE FROM key_requests WHERE key_id = ? AND at <= ?").run(
        keyId,
        now - keyRequestWindowMilliseconds,
      );
      // The oldest of the last `requestsPerMinute` requests: present only when the window is full.
      const oldest = this.statement(
        "SELECT at FROM key_requests WHERE key_id = ? ORDER BY at DESC LIMIT 1 OFFSET ?",
      ).get(keyId, request.requestsPerMinute - 1) as Row | undefined;
      if (oldest) {
        return {
          admitted: false,
          refusedBy: "requests-per-minute",
          retryAfterSeconds: retryAfterSeconds(Number(oldest.at), now),
        };
      }
      this.statement("INSERT INTO key_requests (key_id, at) VALUES (?, ?)").run(keyId, now);
    }
    if (request.concurrency === undefined) return { admitted: true };
    let held = this.slotsOf(keyId);
    if (held.length >= request.concurrency) {
      for (const slot of reclaimableSlots(held, now)) this.release(slot.slotId);
      held = this.slotsOf(keyId);
      if (held.length >= request.concurrency) return { admitted: false, refusedBy: "concurrency" };
    }
    this.statement("INSERT INTO key_slots (slot_id, key_id, owner, expires_at) VALUES (?, ?, ?, ?)").run(
      request.slotId,
      keyId,
      request.owner,
      request.expiresAt,
    );
    return { admitted: true };
  }
}
