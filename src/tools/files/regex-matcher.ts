import type { Worker } from "node:worker_threads";
import { TansuoError } from "../../errors/tansuo-error.ts";
import { returnRegexWorker, takeRegexWorker } from "./regex-worker-pool.ts";

/** The pattern ran past its time limit; what was searched before stays valid. */
export class PatternTooSlowError extends TansuoError {
  override readonly name = "PatternTooSlowError";
  readonly kind = "tool";
}

interface PendingRequest {
  resolve: (matches: number[]) => void;
  reject: (error: unknown) => void;
}

/**
 * Matches a JavaScript regular expression against text in a worker thread, under a time limit for all calls
 * together and the run's abort signal: either one ends the worker, however the pattern backtracks.
 */
export class RegexMatcher {
  private readonly worker: Worker;
  private readonly pending = new Map<number, PendingRequest>();
  private readonly deadline: number;
  private readonly onAbort: () => void;
  private readonly onExit = () => this.fail(new Error("the regular expression worker stopped unexpectedly"));
  private nextId = 0;
  private failure: unknown;

  constructor(
    private readonly pattern: string,
    private readonly flags: string,
    private readonly options: { timeLimitMs: number; signal?: AbortSignal },
  ) {
    this.deadline = Date.now() + options.timeLimitMs;
    this.worker = takeRegexWorker();
    this.worker.on("message", ({ id, matches }: { id: number; matches: number[] }) => {
      this.pending.get(id)?.resolve(matches);
      this.pending.delete(id);
    });
    this.worker.on("error", (error) => this.fail(error));
    this.worker.on("exit", this.onExit);
    this.onAbort = () => this.fail(options.signal?.reason ?? new Error("cancelled"));
    options.signal?.addEventListener("abort", this.onAbort, { once: true });
  }

  /** Indexes (from 0) of the lines of `content` the pattern matches, at most `limit` of them. */
  matchingLines(content: string, limit: number): Promise<number[]> {
    if (this.failure !== undefined) return Promise.reject(this.failure);
    const remaining = this.deadline - Date.now();
    if (remaining <= 0) return Promise.reject(this.tooSlow());
    const id = this.nextId++;
    return new Promise<number[]>((resolve, reject) => {
      const timer = setTimeout(() => this.fail(this.tooSlow()), remaining);
      const settle = () => clearTimeout(timer);
      this.pending.set(id, {
        resolve: (matches) => {
          settle();
          resolve(matches);
        },
        reject: (error) => {
          settle();
          reject(error);
        },
      });
      this.worker.postMessage({ id, pattern: this.pattern, flags: this.flags, content, limit });
    });
  }

  /** Gives a worker that finished cleanly back for the next search; one that was stopped is already ended. */
  close(): void {
    this.options.signal?.removeEventListener("abort", this.onAbort);
    this.worker.off("exit", this.onExit);
    if (this.failure === undefined && this.pending.size === 0) returnRegexWorker(this.worker);
    else void this.worker.terminate();
    this.failure ??= new Error("the regular expression matcher was closed");
  }

  private tooSlow(): PatternTooSlowError {
    return new PatternTooSlowError(`the pattern took longer than ${this.options.timeLimitMs / 1000} s to match`);
  }

  private fail(error: unknown): void {
    if (this.failure === undefined) this.failure = error;
    for (const request of this.pending.values()) request.reject(this.failure);
    this.pending.clear();
    void this.worker.terminate();
  }
}
