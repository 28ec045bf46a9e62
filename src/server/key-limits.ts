import { randomUUID } from "node:crypto";
import { processOwner } from "../store/process-owner.ts";
import type { ApiKeyRecord } from "../store/records.ts";
import type { Store } from "../store/store.ts";
import type { Caller } from "./gateway-env.ts";
import { RateLimitError } from "./gateway-errors.ts";

/** Gives a concurrency slot back; safe to call twice. */
export type ReleaseSlot = () => void;

const noLimit: ReleaseSlot = () => {};

/**
 * How long a slot stays taken without renewal: what a slot of a gateway that died on another machine costs its key
 * (a dead gateway on this machine is seen at once, by its pid). Renewed every third of it while held.
 */
export const defaultSlotLeaseMilliseconds = 60_000;

/**
 * A key's requests-per-minute and concurrency limits, checked before any model work starts. They are counted in
 * the store (store.admitKeyRequest), so gateways sharing a database count together; a key without limits costs
 * nothing (no store round trip).
 */
export class KeyLimits {
  /** Slots this process holds, renewed while held so other gateways do not take them for a dead one's. */
  private readonly held = new Set<string>();
  /** Slots whose release failed (the store was away): given back at the next renewal. */
  private readonly unreleased = new Set<string>();
  private renewal: NodeJS.Timeout | undefined;

  constructor(
    private readonly store: Store,
    private readonly now: () => number = Date.now,
    private readonly leaseMilliseconds = defaultSlotLeaseMilliseconds,
  ) {}

  /** Counts the request and takes a concurrency slot; the returned function gives the slot back. */
  admit(caller: Caller): ReleaseSlot | Promise<ReleaseSlot> {
    const key = caller.key;
    if (!key || (key.requestsPerMinute === undefined && key.concurrency === undefined)) return noLimit;
    return this.admitLimited(key);
  }

  /** The key's slots in flight, by every gateway on the store. */
  async inFlight(keyId: string): Promise<number> {
    return (await this.store.keySlots(keyId)).length;
  }

  private async admitLimited(key: ApiKeyRecord): Promise<ReleaseSlot> {
    const now = this.now();
    const slotId = `slot_${randomUUID()}`;
    const decision = await this.store.admitKeyRequest({
      keyId: key.id,
      requestsPerMinute: key.requestsPerMinute,
      concurrency: key.concurrency,
      slotId,
      owner: processOwner(),
      expiresAt: now + this.leaseMilliseconds,
      now,
    });
    if (!decision.admitted && decision.refusedBy === "requests-per-minute") {
      throw new RateLimitError(
        `Key ${key.prefix}... is limited to ${key.requestsPerMinute} requests per minute. ` +
          `Retry in ${decision.retryAfterSeconds} s.`,
        { code: "rate_limit_exceeded", retryAfterSeconds: decision.retryAfterSeconds },
      );
    }
    if (!decision.admitted) {
      throw new RateLimitError(
        `Key ${key.prefix}... already has ${key.concurrency} requests in flight, its concurrency limit. ` +
          "Wait for one to finish, then retry.",
        { code: "concurrency_limit_exceeded", retryAfterSeconds: 1 },
      );
    }
    if (key.concurrency === undefined) return noLimit;
    this.hold(slotId);
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.held.delete(slotId);
      this.giveBack(slotId);
    };
  }

  private hold(slotId: string): void {
    this.held.add(slotId);
    this.keepRenewing();
  }

  private keepRenewing(): void {
    if (this.renewal) return;
    this.renewal = setInterval(() => this.renew(), this.leaseMilliseconds / 3);
    this.renewal.unref();
  }

  private giveBack(slotId: string): void {
    this.store.releaseKeySlot(slotId).then(
      () => {
        this.unreleased.delete(slotId);
        this.stopRenewingWhenIdle();
      },
      () => {
        this.unreleased.add(slotId);
        this.keepRenewing();
      },
    );
  }

  private renew(): void {
    for (const slotId of this.unreleased) this.giveBack(slotId);
    // A renewal that fails is tried again a third of a lease later; the slot lapses only after three misses.
    if (this.held.size > 0)
      this.store.renewKeySlots([...this.held], this.now() + this.leaseMilliseconds).catch(() => {});
  }

  private stopRenewingWhenIdle(): void {
    if (this.held.size > 0 || this.unreleased.size > 0 || !this.renewal) return;
    clearInterval(this.renewal);
    this.renewal = undefined;
  }
}
