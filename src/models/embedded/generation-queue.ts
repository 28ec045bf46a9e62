/** Runs tasks one at a time: one context sequence can only generate one answer at a time. */
export class GenerationQueue {
  private tail: Promise<void> = Promise.resolve();

  /** Runs `task` after every earlier one; a signal aborted while waiting rejects at once with its reason. */
  run<T>(signal: AbortSignal | undefined, task: () => Promise<T>): Promise<T> {
    const previous = this.tail;
    let finished!: () => void;
    const done = new Promise<void>((resolve) => {
      finished = resolve;
    });
    // The next task waits for both: an aborted waiter must not let it overtake a task still running.
    this.tail = previous.then(() => done);
    return waitUnlessAborted(previous, signal).then(task).finally(finished);
  }

  /** Settles when every task queued so far has finished. */
  idle(): Promise<void> {
    return this.tail;
  }
}

function waitUnlessAborted(turn: Promise<void>, signal: AbortSignal | undefined): Promise<void> {
  if (!signal) return turn;
  if (signal.aborted) return Promise.reject(signal.reason);
  return new Promise((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    signal.addEventListener("abort", onAbort, { once: true });
    turn.then(() => {
      signal.removeEventListener("abort", onAbort);
      resolve();
    });
  });
}
