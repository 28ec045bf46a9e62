import { carryOutPlanMessage, setRunMode } from "../../agent/run-mode.ts";
import type { RunRecord } from "../../store/records.ts";
import type { CliContext } from "../cli-context.ts";

/**
 * `/plan` and `/go`: the run's mode changes (a `mode` event) from its next message; `/go` then continues the run
 * with the plan (PLAN.md) in that message, so the model carries it out.
 */
export async function switchMode(
  context: CliContext,
  state: { mode?: "plan" | "normal" },
  run: RunRecord | undefined,
  mode: "plan" | "normal",
): Promise<{ send: string } | undefined> {
  const say = (text: string) => context.stderr.write(`${text}\n`);
  state.mode = mode;
  if (!run) {
    say(mode === "plan" ? "plan mode: the first message starts a run that only plans (PLAN.md)" : "normal mode");
    return undefined;
  }
  if (mode === "normal" && run.settings.mode !== "plan") {
    say("already in normal mode: nothing to carry out (/plan starts planning)");
    return undefined;
  }
  await setRunMode(context.runtime(), run.id, mode);
  if (mode === "plan") {
    say("plan mode: read-only tools and writes to PLAN.md only, until /go");
    return undefined;
  }
  say("normal mode: carrying out the plan");
  return { send: carryOutPlanMessage(run.settings.workspace) };
}
