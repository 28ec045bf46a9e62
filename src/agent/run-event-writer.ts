import type { EventRecord } from "../store/records.ts";
import type { PendingWrites, RunStateStore, Store, ToolCallChange } from "../store/store.ts";
import type { EventBus } from "./event-bus.ts";
import type { RunEvent } from "./run-events.ts";

type Delta = Extract<RunEvent, { type: "text-delta" | "reasoning-delta" }>;

// Stream deltas are coalesced: one stored row per this much time or text at most (the full text is in the step).
export const deltaBatchMilliseconds = 50;
export const deltaBatchBytes = 4096;
// What waits for the run's next write is written on its own after this long, so live viewers see it promptly.
export const pendingWriteMilliseconds = 50;

/** A write of the run that the pending events and tool-call changes ride along with; it returns the stored events. */
export type WriteAlong = (pending: PendingWrites) => Promise<EventRecord[]>;

/**
 * A run's events and tool-call finishes, written in order with the run's next write (its next step start) or on
 * their own within 50 ms, each batch in one transaction. Each stored event is published to in-process watchers
 * after it is stored, with its sequence (so SSE replay and live events agree). `emit` never waits; `flush` writes
 * what is pending, waits for every write and rethrows the first that failed.
 */
export class RunEventWriter {
  private tail: Promise<void> = Promise.resolve();
  private failure: { error: unknown } | undefined;
  private delta: { delta: Delta; bytes: number } | undefined;
  private events: RunEvent[] = [];
  private toolCalls: PendingWrites["toolCalls"] = [];
  private timer: NodeJS.Timeout | undefined;
  private queued = 0;

  constructor(
    private readonly store: Pick<Store, "appendEvents"> & Pick<RunStateStore, "updateToolCalls">,
    private readonly bus: EventBus,
    private readonly runId: string,
    /** False once the run is another process's: its tool-call changes are then dropped, never written. */
    private readonly mayChangeToolCalls: () => boolean = () => true,
  ) {}

  emit(event: RunEvent): void {
    if (event.type === "text-delta" || event.type === "reasoning-delta") this.addDelta(event);
    else {
      this.closeDelta();
      this.events.push(event);
    }
    this.armTimer();
  }

  /** A tool call's change (its finish) that waits for the next write, like an event. */
  changeToolCall(callId: string, change: ToolCallChange): void {
    this.toolCalls.push({ callId, change });
    this.armTimer();
  }

  /** Runs `write` after every earlier write, with what is pending riding along in it; publishes its events. */
  writeAlong(write: WriteAlong): Promise<void> {
    return this.enqueue(async () => {
      if (this.failure) throw this.failure.error;
      const pending = this.take();
      try {
        this.publish(pending.events, await write(pending));
      } catch (error) {
        // Not lost: they ride along with the next write instead (the caller sees this one fail).
        this.events.unshift(...pending.events.map((event) => event.data as RunEvent));
        this.toolCalls.unshift(...pending.toolCalls);
        throw error;
      }
    });
  }

  async flush(): Promise<void> {
    await this.enqueue(() => this.writePending());
    if (this.failure) throw this.failure.error;
  }

  // A write starts at once when none is queued (no tick is lost on the hot path), else after the ones before it.
  private enqueue(work: () => Promise<void>): Promise<void> {
    const started = this.queued === 0 ? work() : this.tail.then(work);
    this.queued += 1;
    const done = started.finally(() => {
      this.queued -= 1;
    });
    this.tail = done.catch(() => {});
    return done;
  }

  private async writePending(): Promise<void> {
    if (this.failure) return;
    const pending = this.take();
    try {
      if (pending.toolCalls.length > 0) await this.store.updateToolCalls(this.runId, pending.toolCalls);
      if (pending.events.length > 0)
        this.publish(pending.events, await this.store.appendEvents(this.runId, pending.events));
    } catch (error) {
      this.failure = { error };
    }
  }

  private take(): PendingWrites {
    this.closeDelta();
    clearTimeout(this.timer);
    this.timer = undefined;
    const toolCalls = this.mayChangeToolCalls() ? this.toolCalls : [];
    const pending = { toolCalls, events: this.events.map((event) => ({ type: event.type, data: event })) };
    this.events = [];
    this.toolCalls = [];
    return pending;
  }

  private publish(events: PendingWrites["events"], records: EventRecord[]): void {
    events.forEach((event, index) => {
      this.bus.publish(this.runId, { ...(event.data as RunEvent), sequence: records[index]!.sequence });
    });
  }

  private armTimer(): void {
    if (this.timer) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      void this.enqueue(() => this.writePending());
    }, pendingWriteMilliseconds);
    this.timer.unref();
  }

  private addDelta(delta: Delta): void {
    const bytes = Buffer.byteLength(delta.text);
    const pending = this.delta;
    // A batch holds one kind of delta of one step, and stays within the byte bound (one larger delta is one row).
    if (
      pending &&
      (pending.delta.type !== delta.type ||
        pending.delta.step !== delta.step ||
        pending.bytes + bytes > deltaBatchBytes)
    ) {
      this.closeDelta();
    }
    if (!this.delta) this.delta = { delta: { ...delta }, bytes };
    else {
      this.delta.delta.text += delta.text;
      this.delta.bytes += bytes;
    }
    if (this.delta.bytes >= deltaBatchBytes) this.closeDelta();
  }

  private closeDelta(): void {
    if (!this.delta) return;
    this.events.push(this.delta.delta);
    this.delta = undefined;
  }
}
