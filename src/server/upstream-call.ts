import { TansuoError } from "../errors/tansuo-error.ts";
import type { ClientConnection } from "./client-connection.ts";

/** Why an upstream call was stopped by the gateway's own clock. */
export class UpstreamTimeoutReason extends TansuoError {
  override readonly name = "TimeoutError";
  readonly kind = "provider";
}

/**
 * The abort signal of one upstream call: it fires when the client goes away, or when the upstream has not
 * started answering within the timeout (a stream that has started is not timed; its client may leave instead).
 */
export class UpstreamCall {
  private readonly controller = new AbortController();
  private readonly stopListening: () => void;

  constructor(
    private readonly client: ClientConnection,
    private readonly timeoutMilliseconds: number,
  ) {
    this.stopListening = client.onLeave(() => this.abort());
    if (client.left) this.abort();
  }

  get signal(): AbortSignal {
    return this.controller.signal;
  }

  get clientLeft(): boolean {
    return this.client.left;
  }

  /** Waits for the upstream's answer to start, aborting the call if it takes longer than the timeout. */
  async started<T>(answer: PromiseLike<T>): Promise<T> {
    const timer = setTimeout(
      () =>
        this.controller.abort(
          new UpstreamTimeoutReason(
            `no answer within ${this.timeoutMilliseconds / 1000} s (the gateway's upstream timeout)`,
          ),
        ),
      this.timeoutMilliseconds,
    );
    try {
      return await answer;
    } catch (error) {
      throw this.controller.signal.reason instanceof UpstreamTimeoutReason ? this.controller.signal.reason : error;
    } finally {
      clearTimeout(timer);
    }
  }

  abort(): void {
    this.controller.abort(new Error("The client went away."));
  }

  dispose(): void {
    this.stopListening();
  }
}
