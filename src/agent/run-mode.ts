import { lstatSync, readFileSync } from "node:fs";
import path from "node:path";
import { RunStateError } from "./agent-errors.ts";
import { planFileName } from "./plan-mode.ts";
import type { AgentRuntime } from "./runtime.ts";

export type RunMode = "plan" | "normal";

/** Switches a run between plan and normal mode (its next execution offers that mode's tools), with a `mode` event. */
export async function setRunMode(runtime: AgentRuntime, runId: string, mode: RunMode): Promise<void> {
  const run = await runtime.store.getRun(runId);
  if (!run) throw new RunStateError(`No run with id ${runId}.`);
  if ((run.settings.mode ?? "normal") === mode) return;
  await runtime.store.updateRunSettings(runId, { ...run.settings, mode });
  const event = { type: "mode" as const, mode };
  const record = await runtime.store.appendEvent(runId, event.type, event);
  runtime.events.publish(runId, { ...event, sequence: record.sequence });
}

/** The message that ends planning: carry out the plan, with PLAN.md's content so it is in context. */
export function carryOutPlanMessage(workspace: string): string {
  const planFile = path.join(workspace, planFileName);
  let plan: string | undefined;
  try {
    // Only a plain file: a link could point the model's context at a file outside the workspace.
    const stats = lstatSync(planFile);
    if (stats.isFile() && stats.size <= 64 * 1024) plan = readFileSync(planFile, "utf8").trim();
  } catch {
    plan = undefined;
  }
  const start = "Plan mode is over: you may now change files and run commands. Carry out the plan";
  return plan ? `${start} in ${planFileName}:\n\n${plan}` : `${start} you made above.`;
}
