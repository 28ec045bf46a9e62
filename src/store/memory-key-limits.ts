import { type KeyAdmission, type KeyAdmissionRequest, type KeySlot, reclaimableSlots } from "./key-admission.ts";
import { RateLimiter } from "./rate-limiter.ts";

/**
 * Keys' requests-per-minute windows and concurrency slots in this process's memory (the MemoryStore's): each
 * method does its whole work synchronously, so an admission is atomic as a transaction is.
 */
export class MemoryKeyLimits {
  private readonly rate = new RateLimiter();
  private readonly slots = new Map<string, KeySlot & { keyId: string }>();

  admit(request: KeyAdmissionRequest): KeyAdmission {
    if (request.requestsPerMinute !== undefined) {
      const decision = this.rate.take(request.keyId, request.requestsPerMinute, request.now);
      if (!decision.allowed) {
        return { admitted: false, refusedBy: "requests-per-minute", retryAfterSeconds: decision.retryAfterSeconds };
      }
    }
    if (request.concurrency === undefined) return { admitted: true };
    let held = this.slotsOf(request.keyId);
    if (held.length >= request.concurrency) {
      for (const slot of reclaimableSlots(held, request.now)) this.slots.delete(slot.slotId);
      held = this.slotsOf(request.keyId);
      if (held.length >= request.concurrency) return { admitted: false, refusedBy: "concurrency" };
    }
    const { slotId, owner, expiresAt, keyId } = request;
    this.slots.set(slotId, { slotId, owner, expiresAt, keyId });
    return { admitted: true };
  }

  release(slotId: string): void {
    this.slots.delete(slotId);
  }

  renew(slotIds: readonly string[], expiresAt: number): void {
    for (const slotId of slotIds) {
      const slot = this.slots.get(slotId);
      if (slot) slot.expiresAt = expiresAt;
    }
  }

  slotsOf(keyId: string): KeySlot[] {
    return [...this.slots.values()]
      .filter((slot) => slot.keyId === keyId)
      .map(({ slotId, owner, expiresAt }) => ({ slotId, owner, expiresAt }));
  }
}
