import { causeChainMessage } from "../errors/cause-chain.ts";
import type { ResolvedModel } from "../models/resolved-model.ts";
import { LeaseLostError } from "../store/lease-lost-error.ts";
import type { RunRecord, RunStatus } from "../store/records.ts";
import { finishedStatuses } from "../store/records.ts";
import { RunStateError } from "./agent-errors.ts";
import type { AnswerCheck } from "./answer-check.ts";
import type { Approver } from "./approval.ts";
import { Escalation } from "./escalation/escalation.ts";
import { ModelFallback, withFixedFallbacks } from "./fallback/model-fallback.ts";
import { RunEventWriter } from "./run-event-writer.ts";
import type { RunEvent, RunEventListener } from "./run-events.ts";
import { closeRunJobs, openRunJobs } from "./run-jobs.ts";
import { defaultLeaseMilliseconds, goneLeaseOwner, leaseOwnerName } from "./run-lease.ts";
import { runLoop } from "./run-loop.ts";
import { noRunObserver } from "./run-observer.ts";
import { assertRunTools } from "./run-tools.ts";
import { watchRun } from "./run-watch.ts";
import type { AgentRuntime } from "./runtime.ts";
import { startTurn } from "./start-turn.ts";

export interface ExecuteRunOptions {
  /** Aborting it interrupts the run: it ends `failed` and `tansuo resume` continues it (unlike a cancel). */
  signal?: AbortSignal;
  onEvent?: RunEventListener;
  /** Asks a person about tool calls that need approval; without it such a run stops at awaiting_approval. */
  approver?: Approver;
  /** A rule the final answer must meet (an Agent's structured output): one repair turn, then the run fails. */
  answerCheck?: AnswerCheck;
  /**
   * Once aborted, the run stops between steps (nothing in flight is cut) and is left `queued` for another worker;
   * unlike `signal`, which interrupts the running call and fails the run.
   */
  drain?: AbortSignal;
  /** A lease this process already took (a worker's claimQueuedRun): kept and renewed instead of a new one taken. */
  leaseOwner?: string;
  /** The run as that claim returned it, read in the claim's transaction: not read again. */
  claimed?: RunRecord;
  /** The run's background jobs outlive this execution (`tansuo chat` between turns); it ends them itself. */
  keepJobs?: boolean;
}

const lostLease = "another process took the run over";

/**
 * Runs (or resumes) a run until it finishes or waits for approval. Everything it needs is read from the store,
 * so the same call continues a run that another process started and that was killed at any point.
 */
export async function executeRun(
  runtime: AgentRuntime,
  runId: string,
  options: ExecuteRunOptions = {},
): Promise<RunRecord> {
  const { store } = runtime;
  await startTurn();
  const run =
    options.claimed?.id === runId && options.leaseOwner !== undefined ? options.claimed : await store.getRun(runId);
  if (!run) throw new RunStateError(`No run with id ${runId}. List runs with \`tansuo runs list\`.`);
  // Failed and budget-exhausted runs may continue (after a fix, or with a larger budget); the others are final.
  if (run.status === "succeeded" || run.status === "cancelled") return run;
  if (runtime.activeRuns.has(runId)) throw new RunStateError(`Run ${runId} is already running in this process.`);
  assertRunTools(runtime, run);
  const owner = options.leaseOwner ?? leaseOwnerName();
  const leaseMilliseconds = runtime.leaseMilliseconds ?? defaultLeaseMilliseconds;
  // Taken at once when nobody holds it (or this owner does, as a worker's claim); only a held lease is read, to
  // tell whether its owner is gone.
  let claimed = await store.claimRun(runId, owner, leaseMilliseconds);
  const lease = claimed ? undefined : await store.leaseOf(runId);
  if (!claimed) claimed = await store.claimRun(runId, owner, leaseMilliseconds, goneLeaseOwner(lease));
  if (!claimed) {
    const [host, pid] = (lease?.owner ?? "").split(":");
    throw new RunStateError(
      `Run ${runId} is being executed by another process (pid ${pid} on ${host}), which is still alive; ` +
        `wait for it to end, or stop it with \`tansuo cancel ${runId}\`.`,
    );
  }

  const controller = new AbortController();
  let leaseLost = false;
  const loseLease = () => {
    leaseLost = true;
    controller.abort(new Error(lostLease));
  };
  // Renewed once a third of it has passed: a lease that has not lapsed is not taken from a live owner, so writing
  // it every step would only cost a transaction per check.
  let renewedAt = Date.now();
  const renewEvery = leaseMilliseconds / 3;
  const renew = async () => {
    const at = Date.now();
    if (!(await store.renewRun(runId, owner, leaseMilliseconds))) return false;
    renewedAt = at;
    return true;
  };
  // Checked before each model call, tool start and step commit: a process that lost the run writes nothing more.
  // Between renewals a read tells whether the run is still this process's (a takeover by one who proved it gone).
  const keepLease = async () => {
    if (!leaseLost) {
      if (Date.now() - renewedAt >= renewEvery) {
        if (await renew()) return;
      } else if ((await store.leaseOf(runId))?.owner === owner) return;
    }
    loseLease();
    throw new RunStateError(`Run ${runId}: ${lostLease}; this process stopped without writing anything more.`);
  };
  runtime.activeRuns.set(runId, controller);
  const onOuterAbort = () => controller.abort(options.signal?.reason ?? new Error("interrupted"));
  if (options.signal?.aborted) onOuterAbort();
  options.signal?.addEventListener("abort", onOuterAbort, { once: true });
  // A `tansuo cancel` from another process only reaches us through the store (one read for every run this process
  // executes); the lease is renewed on the way. Either way this process stops at once: the abort reaches the running
  // tool and no further call starts.
  const unwatch = watchRun(store, runId, async (state) => {
    if (state?.status === "cancelled") controller.abort(new Error("the run was cancelled"));
    // Renewed, never re-taken: a lease the new owner released on its way out is not this process's again.
    else if (Date.now() - renewedAt >= renewEvery && !(await renew())) loseLease();
    else if (state?.leaseOwner !== owner) loseLease();
  });

  const writer = new RunEventWriter(store, runtime.events, runId, () => !leaseLost);
  const observer = runtime.observeRun?.(run) ?? noRunObserver;
  const emit = (event: RunEvent) => {
    writer.emit(event);
    observer.event(event);
    options.onEvent?.(event);
  };
  const setStatus = async (
    status: RunStatus,
    details: { output?: string; error?: string } = {},
  ): Promise<RunRecord> => {
    await writer.flush();
    await keepLease();
    // Written with the status in one transaction (a worker's stop queueing the run again included), so followers
    // never see one without the other. The store keeps a cancel final; then this late decision is not announced.
    const statusEvent: RunEvent = { type: "status", status, reason: details.error };
    const { run: updated, event: stored } = await store.setRunStatusWithEvent(
      runId,
      status,
      { type: "status", data: statusEvent },
      details,
    );
    if (updated.status !== status || !stored) return updated;
    runtime.events.publish(runId, { ...statusEvent, sequence: stored.sequence });
    observer.event(statusEvent);
    options.onEvent?.(statusEvent);
    if (finishedStatuses.includes(status)) {
      emit({ type: "finished", status, output: updated.output, error: updated.error, costUsd: updated.costUsd });
    }
    await writer.flush();
    return updated;
  };

  // A crashed earlier owner's jobs are killed here, before this execution starts any.
  const jobs = openRunJobs(runtime, runId, emit);
  let resolved: ResolvedModel | undefined;
  let escalation: Escalation | undefined;
  let fallback: ModelFallback | undefined;
  try {
    const modelOptions = {
      baseUrl: run.settings.baseUrl,
      retryPolicy: runtime.retryPolicy && {
        ...runtime.retryPolicy,
        onRetry: (retry: { attempt: number; delayMilliseconds: number; error: unknown }) =>
          emit({
            type: "retry",
            attempt: retry.attempt,
            delayMilliseconds: retry.delayMilliseconds,
            message: causeChainMessage(retry.error),
          }),
      },
    };
    resolved = await runtime.resolveModel(run.settings.model, modelOptions);
    observer.modelResolved(resolved.entry);
    // A ladder (`settings.models`) resumes on the rung its last switch left it.
    escalation = await Escalation.open(store, run, resolved, (spec) => runtime.resolveModel(spec, modelOptions));
    // The model entry's fallbacks are stored with the run on its first execution, so resume keeps the same list.
    const initial = await withFixedFallbacks(store, run, resolved);
    fallback = await ModelFallback.open(store, initial, resolved, (spec) => runtime.resolveModel(spec, modelOptions));
    return await runLoop({
      runtime,
      initial,
      resolved: escalation.current.resolved,
      escalation,
      signal: controller.signal,
      approver: options.approver,
      drain: options.drain,
      answerCheck: options.answerCheck,
      emit,
      flushEvents: () => writer.flush(),
      leaseOwner: owner,
      writeAlong: (write) => writer.writeAlong(write),
      changeToolCall: (callId, change) => writer.changeToolCall(callId, change),
      setStatus,
      keepLease,
      observer,
      jobs,
      fallback,
    });
  } catch (error) {
    // The store refused a step start or commit: the run was taken over, and nothing of that write was kept.
    if (error instanceof LeaseLostError) loseLease();
    const current = await store.getRun(runId);
    if (current?.status === "cancelled") return current;
    // The run is another process's now: what it decides stands, so this one writes nothing more.
    if (leaseLost && current) return current;
    const resume = `\`tansuo resume ${runId}\` continues it`;
    if (controller.signal.aborted) return await setStatus("failed", { error: `interrupted by the user; ${resume}` });
    const message = error instanceof Error ? error.message : String(error);
    return await setStatus("failed", { error: `${message} (the run is saved; ${resume})` });
  } finally {
    // Read back only when watched: the observer sees the run as stored (a cancel from elsewhere included).
    if (runtime.observeRun) observer.ended(await store.getRun(runId).catch(() => undefined));
    unwatch();
    options.signal?.removeEventListener("abort", onOuterAbort);
    runtime.activeRuns.delete(runId);
    await closeRunJobs(runtime, runId, options.keepJobs !== true).catch(() => {});
    // Events emitted on the way out (a warning, say) are written before the lease is let go; a failed write is
    // already reported by the run's status.
    await writer.flush().catch(() => {});
    await store.releaseRun(runId, owner);
    await escalation?.close();
    await fallback?.close();
    await resolved?.close();
  }
}
