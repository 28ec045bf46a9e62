import type { AgentRuntime, SequencedRunEvent } from "../agent/index.ts";
import { finishedStatuses } from "../store/records.ts";
import { commentFrame, eventFrame } from "./server-sent-events.ts";

const keepAliveMilliseconds = 15_000;
// A run executed by another process (a worker) publishes nothing on this process's bus: its stored events are read,
// when the store notifies (PostgreSQL) as each commits and on a slow safety poll, else on a fast poll.
const otherProcessPollMilliseconds = 250;
export const defaultSafetyPollMilliseconds = 5_000;

/**
 * A run's events as SSE, each with its store sequence as `id`: first what the store has after `afterSequence`
 * (so a client reconnecting with Last-Event-ID gets exactly what it missed), then live events as they happen.
 * Live events that arrive during the replay are held and sent after it, never twice. The stream ends when the
 * run finishes; a run waiting for approval keeps it open. A run this process does not execute (a worker's) is
 * followed by reading its stored events: when the store tells of each one (store.notifications) and every few seconds
 * in case a notice was missed, or every 250 ms on a store that cannot tell.
 */
export function runEventStream(
  runtime: AgentRuntime,
  runId: string,
  afterSequence: number,
): ReadableStream<Uint8Array> {
  let lastSent = afterSequence;
  let closed = false;
  let stop = () => {};

  return new ReadableStream<Uint8Array>({
    async start(controller) {
      const close = () => {
        if (closed) return;
        closed = true;
        stop();
        controller.close();
      };
      const send = (sequence: number, type: string, data: unknown) => {
        if (closed || sequence <= lastSent) return;
        lastSent = sequence;
        controller.enqueue(eventFrame(sequence, type, JSON.stringify(data)));
      };
      let held: SequencedRunEvent[] | undefined = [];
      const unsubscribe = runtime.events.subscribe(runId, (event) => {
        if (held) return void held.push(event);
        const { sequence, ...data } = event;
        send(sequence, event.type, data);
        if (event.type === "finished") close();
      });
      const keepAlive = setInterval(() => {
        if (!closed) controller.enqueue(commentFrame("keep-alive"));
      }, keepAliveMilliseconds);
      let reading = false;
      let readAgain = false;
      const read = async () => {
        if (closed || held || runtime.activeRuns.has(runId)) return;
        // One read at a time; a notice during it means one more read after, from where it got to.
        if (reading) {
          readAgain = true;
          return;
        }
        reading = true;
        try {
          do {
            readAgain = false;
            for (const record of await runtime.store.listEvents(runId, lastSent)) {
              send(record.sequence, record.type, record.data);
              if (record.type === "finished") close();
            }
          } while (readAgain && !closed);
        } catch {
          // A store that failed for a moment is read again at the next notice or poll.
        } finally {
          reading = false;
        }
      };
      const notifications = runtime.store.notifications;
      const stopNotices = notifications?.onRunEvents(runId, (sequence) => {
        if (sequence === undefined || sequence > lastSent) void read();
      });
      const poll = setInterval(
        read,
        notifications
          ? (runtime.followerSafetyPollMilliseconds ?? defaultSafetyPollMilliseconds)
          : otherProcessPollMilliseconds,
      );
      stop = () => {
        unsubscribe();
        stopNotices?.();
        clearInterval(keepAlive);
        clearInterval(poll);
      };

      for (const record of await runtime.store.listEvents(runId, afterSequence))
        send(record.sequence, record.type, record.data);
      const pending = held;
      held = undefined;
      for (const { sequence, ...data } of pending) send(sequence, data.type, data);
      // Notices heard during the replay were not acted on: what they told of is read now.
      if (notifications) await read();
      const run = await runtime.store.getRun(runId);
      if (!run || finishedStatuses.includes(run.status)) close();
    },
    cancel() {
      closed = true;
      stop();
    },
  });
}
