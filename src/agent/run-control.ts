import { finishedStatuses, type RunRecord, type RunSettings } from "../store/records.ts";
import { Workspace } from "../tools/workspace.ts";
import { RunStateError } from "./agent-errors.ts";
import { denialText } from "./approval.ts";
import { promptWithHooks } from "./hooks/prompt-hooks.ts";
import { readRunProject } from "./project/run-project.ts";
import type { AgentRuntime } from "./runtime.ts";

export type NewRunSettings = Omit<RunSettings, "alwaysAllowedTools" | "tools" | "maxSteps" | "thinking" | "approval"> &
  Partial<Pick<RunSettings, "alwaysAllowedTools" | "tools" | "maxSteps" | "thinking" | "approval">>;

/** Creates a queued run after checking what can be checked up front (workspace, tools, budget). */
export async function startRun(
  runtime: AgentRuntime,
  settings: NewRunSettings,
  options: { ownerKeyId?: string; parentRunId?: string; parentCallId?: string } = {},
): Promise<RunRecord> {
  const workspace = new Workspace(settings.workspace);
  if (settings.budgetUsd !== undefined && !/^\d+(\.\d+)?$/.test(settings.budgetUsd)) {
    throw new RunStateError(`Budget "${settings.budgetUsd}" is not an amount in USD such as 0.50`);
  }
  // UserPromptSubmit and SessionStart hooks (a person's task only, not a child run's): may refuse it or add context.
  const hooked = await promptWithHooks(runtime, {
    prompt: settings.task,
    workspace: workspace.root,
    newRun: options.parentRunId === undefined,
  });
  const project = readRunProject(runtime, workspace.root, settings);
  const chosen = runtime.tools.select(settings.tools).map((tool) => tool.name);
  // Selected again so an added tool (use_skill) takes its fixed place in the prompt order.
  const tools = runtime.tools.select([...new Set([...chosen, ...project.extraTools])]).map((tool) => tool.name);
  // Field by field: an explicit `undefined` (an agent config without maxSteps, say) must not erase a default.
  const run = await runtime.store.createRun({
    settings: {
      ...settings,
      task: hooked.text,
      ...project.settings,
      maxSteps: settings.maxSteps ?? 50,
      thinking: settings.thinking ?? "auto",
      approval: settings.approval ?? "deny",
      toolChoice: settings.toolChoice ?? "auto",
      alwaysAllowedTools: settings.alwaysAllowedTools ?? [],
      workspace: workspace.root,
      tools,
    },
    ownerKeyId: options.ownerKeyId,
    parentRunId: options.parentRunId,
    parentCallId: options.parentCallId,
  });
  await hooked.record(run.id);
  for (const message of project.warnings)
    await runtime.store.appendEvent(run.id, "warning", { type: "warning", message });
  return run;
}

/**
 * Records a person's answer for the calls a run waits on (all of them, or the one named by `callId`); the run is
 * then ready to continue. This is the only way an interrupted call of a tool that is not idempotent runs again.
 */
export async function approveRun(
  runtime: AgentRuntime,
  runId: string,
  decision: { approve: boolean; always?: boolean; callId?: string },
): Promise<RunRecord> {
  const { store } = runtime;
  const run = await store.getRun(runId);
  if (!run) throw new RunStateError(`No run with id ${runId}.`);
  const waiting = (await store.listToolCalls(runId)).filter(
    (call) => call.status === "awaiting_approval" || call.status === "started",
  );
  if (run.status !== "awaiting_approval" || waiting.length === 0) {
    throw new RunStateError(`Run ${runId} is ${run.status}; it is not waiting for an approval.`);
  }
  const answered = decision.callId === undefined ? waiting : waiting.filter((call) => call.callId === decision.callId);
  if (answered.length === 0) {
    const ids = waiting.map((call) => `${call.callId} (${call.toolName})`).join(", ");
    throw new RunStateError(`Run ${runId} is not waiting on a call ${decision.callId}; it waits on ${ids}.`);
  }
  for (const call of answered) {
    await store.updateToolCall(
      runId,
      call.callId,
      decision.approve
        ? { status: "approved" }
        : {
            status: "denied",
            isError: true,
            output: denialText(call.toolName, false),
            finishedAt: new Date().toISOString(),
          },
    );
  }
  // "Always" allows the tools' next calls; an interrupted call is still asked about each time (see approval.ts).
  if (decision.approve && decision.always) {
    const names = answered.map((call) => call.toolName);
    await store.updateRunSettings(runId, {
      ...run.settings,
      alwaysAllowedTools: [...new Set([...run.settings.alwaysAllowedTools, ...names])],
    });
  }
  return await store.setRunStatus(runId, "queued");
}

/** Marks the run cancelled; a loop running in this process stops at once, one in another process within a second. */
export async function cancelRun(runtime: AgentRuntime, runId: string): Promise<RunRecord> {
  const run = await runtime.store.getRun(runId);
  if (!run) throw new RunStateError(`No run with id ${runId}.`);
  if (finishedStatuses.includes(run.status)) return run;
  const cancelled = await runtime.store.setRunStatus(runId, "cancelled", { error: "cancelled by the user" });
  const event = {
    type: "finished" as const,
    status: "cancelled" as const,
    error: cancelled.error,
    costUsd: cancelled.costUsd,
  };
  const record = await runtime.store.appendEvent(runId, event.type, event);
  runtime.events.publish(runId, { ...event, sequence: record.sequence });
  runtime.activeRuns.get(runId)?.abort(new Error("cancelled"));
  return cancelled;
}
