import type { EventStreamSink } from "./event-stream-sink.ts";

/**
 * Collects the text added within one turn of the event loop and sends it as one write when the turn ends: a
 * burst of tokens that arrived together costs one socket write, not one each.
 */
export class TurnBatcher {
  private batch = "";
  private scheduled = false;
  private stopped = false;
  private clientBehind: Promise<void> | undefined;

  constructor(private readonly sink: EventStreamSink) {}

  add(text: string): void {
    this.batch += text;
    if (this.scheduled || this.stopped) return;
    this.scheduled = true;
    setImmediate(() => this.flush());
  }

  /** Resolves once the client has taken what was sent; undefined while it keeps up. */
  waitForClient(): Promise<void> | undefined {
    const behind = this.clientBehind;
    this.clientBehind = undefined;
    return behind;
  }

  /** Takes the text not sent yet, for the last write, and sends nothing more. */
  takeRest(): string {
    this.stopped = true;
    const rest = this.batch;
    this.batch = "";
    return rest;
  }

  private flush(): void {
    this.scheduled = false;
    if (this.stopped || this.batch === "") return;
    const ready = this.sink.write(this.batch);
    this.batch = "";
    if (!ready) this.clientBehind ??= this.sink.drained();
  }
}
