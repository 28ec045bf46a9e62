import type { EventRecord } from "../records.ts";
import type { NewEvent } from "../store.ts";
import type { Queryable } from "./postgres-budget-holds.ts";
import { eventsChannelSql } from "./postgres-channels.ts";
import { eventFromRow, type Row } from "./postgres-rows.ts";

/** The event log's queries; the sequence is a BIGSERIAL, increasing across every process on the database. */
export const postgresEventLog = {
  /**
   * One statement: the row and its NOTIFY (`<sequence>:<run id>`), in the caller's transaction, so followers in other
   * processes hear of it at commit, never before they can read it (see PostgresListener).
   */
  async insert(client: Queryable, runId: string, type: string, data: unknown, at: string): Promise<EventRecord> {
    const { rows } = await client.query<Row>(
      `WITH inserted AS (INSERT INTO events (run_id, type, data, at) VALUES ($1, $2, $3, $4) RETURNING sequence, run_id)
       SELECT sequence, pg_notify(${eventsChannelSql}, sequence || ':' || run_id) FROM inserted`,
      [runId, type, JSON.stringify(data ?? null), at],
    );
    return { sequence: Number(rows[0]!.sequence), runId, type, data, at };
  },

  /**
   * One INSERT for all of them (atomic on its own, one round trip instead of one per event), each row with its
   * NOTIFY. The rows of a VALUES list are inserted in the order listed, so ascending sequences follow the order given.
   */
  async insertAll(client: Queryable, runId: string, events: readonly NewEvent[]): Promise<EventRecord[]> {
    if (events.length === 0) return [];
    const at = new Date().toISOString();
    const values = events.map((_, index) => `($1, $${2 * index + 3}, $${2 * index + 4}, $2)`).join(", ");
    const parameters = [runId, at, ...events.flatMap((event) => [event.type, JSON.stringify(event.data ?? null)])];
    // Each row's NOTIFY rides in the same statement (heard at commit), as in `insert`.
    const { rows } = await client.query<Row>(
      `WITH inserted AS (INSERT INTO events (run_id, type, data, at) VALUES ${values} RETURNING sequence, run_id)
       SELECT sequence, pg_notify(${eventsChannelSql}, sequence || ':' || run_id) FROM inserted`,
      parameters,
    );
    const sequences = rows.map((row) => Number(row.sequence)).sort((left, right) => left - right);
    return events.map((event, index) => ({
      sequence: sequences[index]!,
      runId,
      type: event.type,
      data: event.data,
      at,
    }));
  },

  async list(client: Queryable, runId: string, afterSequence: number): Promise<EventRecord[]> {
    const { rows } = await client.query<Row>(
      "SELECT * FROM events WHERE run_id = $1 AND sequence > $2 ORDER BY sequence",
      [runId, afterSequence],
    );
    return rows.map(eventFromRow);
  },

  async last(client: Queryable, runId: string, type: string): Promise<EventRecord | undefined> {
    const { rows } = await client.query<Row>(
      "SELECT * FROM events WHERE run_id = $1 AND type = $2 ORDER BY sequence DESC LIMIT 1",
      [runId, type],
    );
    return rows[0] ? eventFromRow(rows[0]) : undefined;
  },
};
