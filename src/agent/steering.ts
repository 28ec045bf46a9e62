import type { RunRecord } from "../store/records.ts";
import { userMessageEvent } from "../store/user-message-event.ts";
import { RunStateError } from "./agent-errors.ts";
import type { History } from "./history.ts";
import type { AgentRuntime } from "./runtime.ts";

export interface SteeringContext {
  runtime: AgentRuntime;
  leaseOwner: string;
  flushEvents: () => Promise<void>;
  keepLease: () => Promise<void>;
}

/**
 * At a tool boundary (the last step's results in, the next model call not yet out): messages a person typed while
 * the run worked join the history as user messages, stored with afterStep = the steps so far, so a rebuild on
 * resume puts them at the same place. One transaction moves them, so each is delivered exactly once.
 */
export async function deliverSteering(context: SteeringContext, runId: string, history: History): Promise<number> {
  const { store } = context.runtime;
  if ((await store.listPendingRunMessages(runId)).length === 0) return 0;
  // The step's tool results and events are written first: followers see the message after them.
  await context.flushEvents();
  await context.keepLease();
  const moved = await store.deliverPendingRunMessages(runId, { leaseOwner: context.leaseOwner });
  for (const message of moved) {
    history.appendUser(message.content);
    context.runtime.events.publish(runId, { ...userMessageEvent(message), sequence: message.event.sequence });
  }
  return moved.length;
}

/**
 * Stores a message for a run that is working (steering); it is delivered at the run's next tool boundary, or, if
 * the turn ends first, by `continuePending`. Refused for a cancelled or unknown run.
 */
export async function steerRun(runtime: AgentRuntime, runId: string, content: string): Promise<void> {
  const run = await runtime.store.getRun(runId);
  if (!run) throw new RunStateError(`No run with id ${runId}. List runs with \`tansuo runs list\`.`);
  if (content.trim() === "") throw new RunStateError(`The message for run ${runId} is empty; nothing was added.`);
  if (run.status === "cancelled") {
    throw new RunStateError(`Run ${runId} was cancelled, and a cancel is final; start a new run.`);
  }
  await runtime.store.addPendingRunMessage(runId, content);
}

/** The turn ended before a boundary took them: pending messages become the next turn's (the run is queued). */
export async function queuePendingMessages(runtime: AgentRuntime, run: RunRecord): Promise<boolean> {
  const moved = await runtime.store.deliverPendingRunMessages(run.id);
  for (const message of moved) {
    runtime.events.publish(run.id, { ...userMessageEvent(message), sequence: message.event.sequence });
  }
  return moved.length > 0;
}
