/** In-flight model work per key: a slot is taken when a request starts and given back when its answer ends. */
export class ConcurrencyLimiter {
  private readonly inFlight = new Map<string, number>();

  /** A release function (safe to call twice), or undefined when the key already has `limit` requests in flight. */
  acquire(keyId: string, limit: number): (() => void) | undefined {
    const current = this.inFlight.get(keyId) ?? 0;
    if (current >= limit) return undefined;
    this.inFlight.set(keyId, current + 1);
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const left = (this.inFlight.get(keyId) ?? 1) - 1;
      if (left <= 0) this.inFlight.delete(keyId);
      else this.inFlight.set(keyId, left);
    };
  }

  count(keyId: string): number {
    return this.inFlight.get(keyId) ?? 0;
  }
}
