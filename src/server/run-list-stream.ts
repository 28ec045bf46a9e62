import type { Store } from "../store/store.ts";
import { type RunListQuery, shownIfMatching } from "./run-list-query.ts";
import { runObject } from "./run-object.ts";
import { commentFrame, namedEventFrame } from "./server-sent-events.ts";

export interface RunListStreamOptions {
  /**
   * How often the store is asked for runs updated since the last poll: default 500 ms, or 5 s on a store that
   * notifies of changed runs (store.notifications), where each notice asks at once and the poll is a safety net.
   */
  pollMilliseconds?: number;
  /** A `: ping` comment this often keeps idle connections open through proxies; default 15 s. */
  pingMilliseconds?: number;
  /** The runs this process executes, which the lease check would take for stale (see shownRunStatus). */
  activeRuns?: ReadonlyMap<string, unknown>;
}

const signature = (run: { updatedAt: string; status: string; stepCount: number; costUsd: string }) =>
  `${run.updatedAt}\u0000${run.status}\u0000${run.stepCount}\u0000${run.costUsd}`;

/**
 * Changes to the runs the query matches, as SSE `run` events of one RunObject each, from the time the stream opens.
 * It reads the store (not the in-process bus) so runs made by other processes on the same database show too: when
 * the store tells of a changed run and on a poll, and stops as soon as the client goes away.
 */
export function runListStream(
  store: Store,
  query: RunListQuery,
  options: RunListStreamOptions = {},
): ReadableStream<Uint8Array> {
  const notifications = store.notifications;
  const pollMilliseconds = options.pollMilliseconds ?? (notifications ? 5_000 : 500);
  // From the list the client already holds (its `as_of`), so a change between that list and this stream is not lost.
  let cursor = query.since ?? new Date().toISOString();
  // What was last sent per run updated at or after the cursor: a poll returns those again, sent only if changed.
  const sent = new Map<string, string>();
  let closed = false;
  let pollTimer: NodeJS.Timeout | undefined;
  let pingTimer: NodeJS.Timeout | undefined;
  let stopNotices: (() => void) | undefined;
  const stop = () => {
    closed = true;
    clearTimeout(pollTimer);
    clearInterval(pingTimer);
    stopNotices?.();
  };

  return new ReadableStream<Uint8Array>({
    start(controller) {
      // One poll at a time; a notice during one means another right after it.
      let polling = false;
      let pollAgain = false;
      const poll = async () => {
        polling = true;
        try {
          const runs = await store.listRuns({
            ...query.filter,
            beforeRunId: undefined,
            updatedSince: cursor,
            limit: 1000,
          });
          for (const run of [...runs].reverse()) {
            if (closed) return;
            if (sent.get(run.id) === signature(run)) continue;
            sent.set(run.id, signature(run));
            const status = await shownIfMatching(store, run, query.status, options.activeRuns);
            if (status !== undefined && !closed) {
              controller.enqueue(namedEventFrame("run", JSON.stringify(runObject(run, [], status))));
            }
          }
          let newest = cursor;
          for (const run of runs) if (run.updatedAt > newest) newest = run.updatedAt;
          if (newest > cursor) {
            cursor = newest;
            for (const run of runs) if (run.updatedAt < cursor) sent.delete(run.id);
          }
        } catch (error) {
          // The store went away (the gateway is closing): end the stream rather than poll a closed database.
          stop();
          controller.error(error);
          return;
        } finally {
          polling = false;
        }
        if (!closed) pollTimer = setTimeout(poll, pollAgain ? 0 : pollMilliseconds);
        pollAgain = false;
      };
      stopNotices = notifications?.onRunsChanged(() => {
        if (closed) return;
        if (polling) {
          pollAgain = true;
          return;
        }
        clearTimeout(pollTimer);
        pollTimer = setTimeout(poll, 0);
      });
      pingTimer = setInterval(() => {
        if (!closed) controller.enqueue(commentFrame("ping"));
      }, options.pingMilliseconds ?? 15_000);
      pollTimer = setTimeout(poll, 0);
    },
    cancel() {
      stop();
    },
  });
}
