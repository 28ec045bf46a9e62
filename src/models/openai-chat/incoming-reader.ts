import type { IncomingMessage } from "node:http";
import type { BodyRead, BodyReader } from "./upstream-answer.ts";

// Read ahead this many bytes before pausing the socket: a whole burst of events, without unbounded buffering.
const readAheadBytes = 64 * 1024;

const terminated = (cause: unknown) => new TypeError("terminated", { cause });

/**
 * A node:http response body read chunk by chunk, with backpressure (the socket is paused while the reader is
 * behind) and without building a web ReadableStream (costly in Node 20). A connection that closes before the body
 * is complete fails the read; `fail` does the same from outside (abort, timeout) and closes the connection.
 */
export class IncomingReader implements BodyReader {
  private readonly chunks: Buffer[] = [];
  private queuedBytes = 0;
  private ended = false;
  private released = false;
  private failure: { reason: unknown } | undefined;
  private pending: { resolve: (result: BodyRead) => void; reject: (reason: unknown) => void } | undefined;

  constructor(
    private readonly incoming: IncomingMessage,
    private readonly onSettled: () => void,
  ) {
    incoming.on("data", (chunk: Buffer) => {
      if (this.released || this.failure) return;
      this.chunks.push(chunk);
      this.queuedBytes += chunk.length;
      if (this.queuedBytes >= readAheadBytes) incoming.pause();
      this.answerPending();
    });
    incoming.on("end", () => {
      this.ended = true;
      this.answerPending();
      this.onSettled();
    });
    incoming.on("error", (error) => this.fail(terminated(error)));
    incoming.on("close", () => {
      if (!incoming.complete) this.fail(terminated(new Error("the connection closed before the answer was complete")));
    });
  }

  read(): Promise<BodyRead> {
    const result = this.take();
    if (result) return result;
    return new Promise((resolve, reject) => {
      this.pending = { resolve, reject };
    });
  }

  releaseLock(): void {
    this.pending?.reject(new TypeError("the reader was released while a read was pending"));
    this.pending = undefined;
    this.released = true;
    this.chunks.length = 0;
    this.queuedBytes = 0;
    this.incoming.resume();
  }

  async cancel(): Promise<void> {
    if (this.ended || this.failure) return;
    this.failure = { reason: undefined };
    this.incoming.destroy();
    this.pending?.resolve({ done: true, value: undefined });
    this.pending = undefined;
    this.onSettled();
  }

  /** Fails the read with `reason` and closes the connection; nothing happens once the body has ended. */
  fail(reason: unknown): void {
    if (this.ended || this.failure) return;
    this.failure = { reason };
    this.incoming.destroy();
    this.pending?.reject(reason);
    this.pending = undefined;
    this.onSettled();
  }

  /** The next result if one is at hand. */
  private take(): Promise<BodyRead> | undefined {
    const chunk = this.chunks.shift();
    if (chunk) {
      this.queuedBytes -= chunk.length;
      if (this.incoming.isPaused() && this.queuedBytes < readAheadBytes) this.incoming.resume();
      return Promise.resolve({ done: false, value: chunk });
    }
    if (this.failure) {
      return this.failure.reason === undefined
        ? Promise.resolve({ done: true, value: undefined })
        : Promise.reject(this.failure.reason);
    }
    if (this.ended) return Promise.resolve({ done: true, value: undefined });
    return undefined;
  }

  private answerPending(): void {
    const pending = this.pending;
    if (!pending) return;
    const result = this.take();
    if (!result) return;
    this.pending = undefined;
    result.then(pending.resolve, pending.reject);
  }
}
