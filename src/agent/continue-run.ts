import { continuableStatuses, type RunRecord } from "../store/records.ts";
import { userMessageEvent } from "../store/user-message-event.ts";
import { RunStateError } from "./agent-errors.ts";
import { type ExecuteRunOptions, executeRun } from "./execute-run.ts";
import { promptWithHooks } from "./hooks/prompt-hooks.ts";
import type { AgentRuntime } from "./runtime.ts";

/** Why a run cannot take a message now, and what to do instead. */
function refusal(run: RunRecord): string {
  if (run.status === "cancelled") {
    return `Run ${run.id} was cancelled, and a cancel is final; start a new run (its transcript is kept: \`tansuo runs show ${run.id}\`).`;
  }
  if (run.status === "awaiting_approval") {
    return `Run ${run.id} waits for an approval; answer it with \`tansuo approve ${run.id}\` first, then add your message.`;
  }
  if (run.status === "running" || run.status === "queued") {
    return `Run ${run.id} is ${run.status}; wait for it to end (or, if its process is gone, finish it with \`tansuo resume ${run.id}\`), then add your message.`;
  }
  return `Run ${run.id} is still being finished by its process; try again in a moment.`;
}

/**
 * Adds a person's message to a run that ended (succeeded, failed or budget_exhausted) and queues it; the next
 * executeRun continues the same run with the message after its last answer. Budget and steps are the whole run's
 * (`maxSteps` more steps for each message). The run is untouched when it is refused.
 */
export async function addMessage(runtime: AgentRuntime, runId: string, content: string): Promise<RunRecord> {
  const run = await runtime.store.getRun(runId);
  if (!run) throw new RunStateError(`No run with id ${runId}. List runs with \`tansuo runs list\`.`);
  if (content.trim() === "") throw new RunStateError(`The message for run ${runId} is empty; nothing was added.`);
  if (!continuableStatuses.includes(run.status)) throw new RunStateError(refusal(run));
  // UserPromptSubmit hooks may refuse the message (nothing stored) or add context to it (stored with it).
  const hooked = await promptWithHooks(runtime, {
    prompt: content,
    workspace: run.settings.workspace,
    runId,
    newRun: false,
  });
  // The store checks the status again in the same write: a second writer racing this one gets a refusal.
  const message = await runtime.store.addRunMessage(runId, hooked.text);
  if (!message) throw new RunStateError(refusal((await runtime.store.getRun(runId)) ?? run));
  await hooked.record(runId);
  // Stored with the message; live followers (SSE) hear it now.
  runtime.events.publish(runId, { ...userMessageEvent(message), sequence: message.event.sequence });
  return (await runtime.store.getRun(runId))!;
}

/** Adds the message and continues the run in this process, until it ends or waits for approval. */
export async function continueRun(
  runtime: AgentRuntime,
  runId: string,
  content: string,
  options: ExecuteRunOptions = {},
): Promise<RunRecord> {
  await addMessage(runtime, runId, content);
  return await executeRun(runtime, runId, options);
}
