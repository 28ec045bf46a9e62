import type { RunRecord } from "../store/records.ts";
import { executeRun } from "./execute-run.ts";
import { defaultLeaseMilliseconds, leaseOwnerName } from "./run-lease.ts";
import type { AgentRuntime } from "./runtime.ts";

export interface WorkerOptions {
  /** Most runs executed at once. */
  concurrency: number;
  /** Once aborted: no more claims, running runs stop between steps (queued again), and the loop returns. */
  stop: AbortSignal;
  /**
   * Wait between claims while nothing is queued, jittered by ±50 % so workers do not align: default 250 ms, or 5 s
   * on a store that notifies of queued runs (store.notifications), whose notices wake the worker at once.
   */
  idleMilliseconds?: number;
  onClaimed?: (run: RunRecord) => void;
  /** The run as it ended (succeeded, failed, awaiting approval, queued again by a stop...). */
  onFinished?: (run: RunRecord) => void;
  /** A store that failed to answer a claim: the worker waits and claims again. */
  onClaimError?: (error: unknown) => void;
}

const defaultIdleMilliseconds = 250;
// With notices the poll is only a fallback: for a run left claimable without one (its owner died).
const notifiedIdleMilliseconds = 5_000;

/**
 * Claims runs left for workers (store.claimQueuedRun: queued ones, and ones a dead process left running) and
 * executes them through executeRun, which renews the claimed lease as it goes, up to `concurrency` at once.
 * Resolves with how many runs it claimed once `stop` is aborted and every run has stopped and let go of its lease.
 */
export async function runWorker(runtime: AgentRuntime, options: WorkerOptions): Promise<{ claimed: number }> {
  const { store } = runtime;
  const leaseMilliseconds = runtime.leaseMilliseconds ?? defaultLeaseMilliseconds;
  const notifications = store.notifications;
  const idle = options.idleMilliseconds ?? (notifications ? notifiedIdleMilliseconds : defaultIdleMilliseconds);
  // Set by a notice that a run was queued; one heard during a claim that found nothing means claim again at once.
  let queuedNotice = false;
  let wake = () => {};
  const stopNotices = notifications?.onRunQueued(() => {
    queuedNotice = true;
    wake();
  });
  const executions = new Set<Promise<void>>();
  const stopped = new Promise<void>((resolve) => {
    if (options.stop.aborted) resolve();
    options.stop.addEventListener("abort", () => resolve(), { once: true });
  });
  let claimed = 0;
  while (!options.stop.aborted) {
    if (executions.size >= options.concurrency) {
      await Promise.race([stopped, ...executions]);
      continue;
    }
    const owner = leaseOwnerName();
    queuedNotice = false;
    let run: RunRecord | undefined;
    try {
      run = await store.claimQueuedRun(owner, leaseMilliseconds);
    } catch (error) {
      options.onClaimError?.(error);
    }
    if (!run) {
      if (queuedNotice) continue;
      let timer: NodeJS.Timeout | undefined;
      const sleptOrWoken = new Promise<void>((resolve) => {
        wake = resolve;
        timer = setTimeout(resolve, idle * (0.5 + Math.random()));
      });
      await Promise.race([stopped, sleptOrWoken]);
      clearTimeout(timer);
      wake = () => {};
      continue;
    }
    claimed += 1;
    options.onClaimed?.(run);
    const execution = execute(runtime, run, owner, options).finally(() => executions.delete(execution));
    executions.add(execution);
  }
  stopNotices?.();
  await Promise.allSettled([...executions]);
  return { claimed };
}

async function execute(runtime: AgentRuntime, run: RunRecord, owner: string, options: WorkerOptions): Promise<void> {
  const { store } = runtime;
  try {
    const ended = await executeRun(runtime, run.id, { leaseOwner: owner, claimed: run, drain: options.stop });
    options.onFinished?.(ended);
  } catch (error) {
    // The run could not start here (tools this worker lacks, say): failed, so it is not claimed again and again.
    const message = error instanceof Error ? error.message : String(error);
    const failed = await store
      .setRunStatus(run.id, "failed", {
        error: `a worker could not execute it: ${message} (fix that, then \`tansuo resume ${run.id}\`)`,
      })
      .catch(() => undefined);
    options.onFinished?.(failed ?? run);
  } finally {
    // executeRun lets its lease go; a run it returned early (cancelled meanwhile) still holds the claim.
    await store.releaseRun(run.id, owner).catch(() => {});
  }
}
