import { leaseIsClaimable } from "./claimable-lease.ts";

/** The requests-per-minute window: a request counts against its key for the 60 seconds after it was admitted. */
export const keyRequestWindowMilliseconds = 60_000;

/** A request to admit under its key's limits; a limit left undefined is not checked (and costs nothing). */
export interface KeyAdmissionRequest {
  keyId: string;
  requestsPerMinute?: number;
  concurrency?: number;
  /** The concurrency slot's id, given back with releaseKeySlot; only taken when `concurrency` is set. */
  slotId: string;
  /** The process taking the slot (`host:pid`): once it is provably gone, its slots are reclaimed. */
  owner: string;
  /** When the slot lapses unless renewed (epoch ms): how a slot of a gateway on another machine comes back. */
  expiresAt: number;
  /** The gateway's clock (epoch ms): the window is counted and leases are judged against it. */
  now: number;
}

/** Admitted (counted, and holding a slot when the key has a concurrency limit), or refused by the limit named. */
export type KeyAdmission =
  | { admitted: true }
  | { admitted: false; refusedBy: "requests-per-minute"; retryAfterSeconds: number }
  | { admitted: false; refusedBy: "concurrency" };

/** A concurrency slot as stored. */
export interface KeySlot {
  slotId: string;
  owner: string;
  expiresAt: number;
}

/** Whole seconds until the request admitted at `oldestAt` leaves the window, at least 1 (the Retry-After). */
export const retryAfterSeconds = (oldestAt: number, now: number): number =>
  Math.max(1, Math.ceil((oldestAt + keyRequestWindowMilliseconds - now) / 1000));

/**
 * The slots that may be taken back: their owner is provably gone, by the rule run leases and budget holds use
 * (leaseIsClaimable: on this machine its pid no longer exists; on another, its lease lapsed unrenewed).
 */
export const reclaimableSlots = (slots: readonly KeySlot[], now: number): KeySlot[] =>
  slots.filter((slot) => leaseIsClaimable(slot, now));
