import type { RunSettings, StepRecord, ToolCallRecord } from "../../store/records.ts";
import type { RunEvent } from "../run-events.ts";
import type { AgentRuntime } from "../runtime.ts";
import { fireHooks, hasHooks } from "./fire-hooks.ts";

// A Stop hook that blocks every answer would keep the run going until its step limit; three times is enough.
export const maximumStopContinuations = 3;

export interface StopHookContext {
  runtime: AgentRuntime;
  runId: string;
  settings: RunSettings;
  signal: AbortSignal;
  emit: (event: RunEvent) => void;
}

/**
 * Stop, when the run would finish with an answer after step `afterStep`: the message to continue with (a hook's
 * exit 2 or `decision: "block"`), or undefined to finish. The message is stored in the run's settings before it is
 * returned; on resume the stored one is returned and the hook is not run again.
 */
export async function stopHookMessage(
  context: StopHookContext,
  afterStep: number,
  answer: string,
): Promise<string | undefined> {
  const { settings } = context;
  const stored = settings.hookMessages?.find((message) => message.afterStep === afterStep);
  if (stored) return stored.content;
  if (!hasHooks(context.runtime.hooks, "Stop")) return undefined;
  const earlier = settings.hookMessages?.length ?? 0;
  if (earlier >= maximumStopContinuations) return undefined;
  const warn = (message: string) => context.emit({ type: "warning", message });
  const verdict = await fireHooks(
    {
      hooks: context.runtime.hooks,
      policy: context.runtime.toolPolicy,
      workspace: settings.workspace,
      signal: context.signal,
      emit: context.emit,
      warn,
      runId: context.runId,
    },
    "Stop",
    { stop_hook_active: earlier > 0, last_assistant_message: answer },
  );
  if (verdict.block === undefined) return undefined;
  const content = `A Stop hook asks you to continue: ${verdict.block}`;
  settings.hookMessages = [...(settings.hookMessages ?? []), { afterStep, content }];
  await context.runtime.store.updateRunSettings(context.runId, settings);
  return content;
}

/** For History.rebuild: the stored Stop hook message that followed a step, if any. */
export const storedStopMessage = (settings: RunSettings) => (step: StepRecord, _calls: ToolCallRecord[]) =>
  settings.hookMessages?.find((message) => message.afterStep === step.index)?.content;

/** The loop's per-step message for History.rebuild: a structured-output repair, or else a stored Stop hook message. */
export function withStopMessages(
  settings: RunSettings,
  repairAfter: ((step: StepRecord, calls: ToolCallRecord[]) => string | undefined) | undefined,
) {
  const stopMessage = storedStopMessage(settings);
  return (step: StepRecord, calls: ToolCallRecord[]) => repairAfter?.(step, calls) ?? stopMessage(step, calls);
}
