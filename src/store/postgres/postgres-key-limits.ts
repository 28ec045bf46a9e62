import {
  type KeyAdmission,
  type KeyAdmissionRequest,
  type KeySlot,
  keyRequestWindowMilliseconds,
  reclaimableSlots,
  retryAfterSeconds,
} from "../key-admission.ts";
import type { Queryable } from "./postgres-budget-holds.ts";
import type { Row } from "./postgres-rows.ts";

/**
 * Keys' requests-per-minute windows and concurrency slots in Postgres. An admission is one call of the
 * `admit_key_request` function (migration 3): one round trip, atomic, and serialized per key by its row lock.
 */
export const postgresKeyLimits = {
  async admit(client: Queryable, request: KeyAdmissionRequest): Promise<KeyAdmission> {
    const first = await admitOnce(client, request, request.requestsPerMinute);
    if (first.admitted || first.refusedBy !== "concurrency") return first;
    // Full: whether a holder is gone needs this process (its pid is asked), so the sweep runs here, off the hot path.
    const reclaimed = reclaimableSlots(await postgresKeyLimits.slotsOf(client, request.keyId), request.now);
    if (reclaimed.length === 0) return first;
    await client.query("DELETE FROM key_slots WHERE slot_id = ANY($1)", [reclaimed.map((slot) => slot.slotId)]);
    // The request is counted in the window already: only the slot is asked for again.
    return await admitOnce(client, request, undefined);
  },

  async release(client: Queryable, slotId: string): Promise<void> {
    await client.query("DELETE FROM key_slots WHERE slot_id = $1", [slotId]);
  },

  async renew(client: Queryable, slotIds: readonly string[], expiresAt: number): Promise<void> {
    if (slotIds.length === 0) return;
    await client.query("UPDATE key_slots SET expires_at = $1 WHERE slot_id = ANY($2)", [expiresAt, slotIds]);
  },

  async slotsOf(client: Queryable, keyId: string): Promise<KeySlot[]> {
    const { rows } = await client.query<Row>("SELECT slot_id, owner, expires_at FROM key_slots WHERE key_id = $1", [
      keyId,
    ]);
    return rows.map((row) => ({
      slotId: String(row.slot_id),
      owner: String(row.owner),
      expiresAt: Number(row.expires_at),
    }));
  },
};

async function admitOnce(
  client: Queryable,
  request: KeyAdmissionRequest,
  requestsPerMinute: number | undefined,
): Promise<KeyAdmission> {
  const { rows } = await client.query<Row>(
    "SELECT refused_by, oldest_at FROM admit_key_request($1, $2, $3, $4, $5, $6, $7, $8)",
    [
      request.keyId,
      requestsPerMinute ?? null,
      request.concurrency ?? null,
      request.slotId,
      request.owner,
      request.expiresAt,
      request.now,
      keyRequestWindowMilliseconds,
    ],
  );
  const refusedBy = rows[0]?.refused_by;
  if (refusedBy === "requests-per-minute") {
    return {
      admitted: false,
      refusedBy: "requests-per-minute",
      retryAfterSeconds: retryAfterSeconds(Number(rows[0]!.oldest_at), request.now),
    };
  }
  if (refusedBy === "concurrency") return { admitted: false, refusedBy: "concurrency" };
  return { admitted: true };
}
