/** Why an upstream call was stopped by the gateway's own clock. */
export class UpstreamTimeoutReason extends Error {
  override readonly name = "TimeoutError";
}

/**
 * The abort signal of one upstream call: it fires when the client goes away, or when the upstream has not
 * started answering within the timeout (a stream that has started is not timed; its client may leave instead).
 */
export class UpstreamCall {
  private readonly controller = new AbortController();
  private readonly onClientAbort = () => this.controller.abort(this.clientSignal?.reason);

  constructor(
    private readonly clientSignal: AbortSignal | undefined,
    private readonly timeoutMilliseconds: number,
  ) {
    if (clientSignal?.aborted) this.onClientAbort();
    else clientSignal?.addEventListener("abort", this.onClientAbort, { once: true });
  }

  get signal(): AbortSignal {
    return this.controller.signal;
  }

  get clientLeft(): boolean {
    return this.clientSignal?.aborted === true;
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
    this.clientSignal?.removeEventListener("abort", this.onClientAbort);
  }
}
