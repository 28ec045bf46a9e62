import type { EventLog } from "../store/store.ts";
import type { EventBus } from "./event-bus.ts";
import type { RunEvent } from "./run-events.ts";

type Delta = Extract<RunEvent, { type: "text-delta" | "reasoning-delta" }>;

// Stream deltas are coalesced: one stored row per this much time or text at most (the full text is in the step).
export const deltaBatchMilliseconds = 50;
export const deltaBatchBytes = 4096;

/**
 * Writes a run's events to the store in order, one at a time, and publishes each stored row to in-process watchers
 * with its sequence (so SSE replay and live events agree). `emit` never waits; `flush` waits for every write and
 * rethrows the first that failed, and is called before a step commits and when the run's status changes.
 */
export class RunEventWriter {
  private tail: Promise<void> = Promise.resolve();
  private failure: { error: unknown } | undefined;
  private pending: { delta: Delta; bytes: number; timer: NodeJS.Timeout } | undefined;

  constructor(
    private readonly store: EventLog,
    private readonly bus: EventBus,
    private readonly runId: string,
  ) {}

  emit(event: RunEvent): void {
    if (event.type === "text-delta" || event.type === "reasoning-delta") {
      this.addDelta(event);
      return;
    }
    this.writePending();
    this.write(event);
  }

  async flush(): Promise<void> {
    this.writePending();
    await this.tail;
    if (this.failure) throw this.failure.error;
  }

  private addDelta(delta: Delta): void {
    const bytes = Buffer.byteLength(delta.text);
    const pending = this.pending;
    // A batch holds one kind of delta of one step, and stays within the byte bound (one larger delta is one row).
    if (
      pending &&
      (pending.delta.type !== delta.type ||
        pending.delta.step !== delta.step ||
        pending.bytes + bytes > deltaBatchBytes)
    ) {
      this.writePending();
    }
    if (!this.pending) {
      const timer = setTimeout(() => this.writePending(), deltaBatchMilliseconds);
      timer.unref();
      this.pending = { delta: { ...delta }, bytes, timer };
    } else {
      this.pending.delta.text += delta.text;
      this.pending.bytes += bytes;
    }
    if (this.pending.bytes >= deltaBatchBytes) this.writePending();
  }

  private writePending(): void {
    const pending = this.pending;
    if (!pending) return;
    this.pending = undefined;
    clearTimeout(pending.timer);
    this.write(pending.delta);
  }

  private write(event: RunEvent): void {
    this.tail = this.tail.then(async () => {
      if (this.failure) return;
      try {
        const record = await this.store.appendEvent(this.runId, event.type, event);
        this.bus.publish(this.runId, { ...event, sequence: record.sequence });
      } catch (error) {
        this.failure = { error };
      }
    });
  }
}
