import type { Store } from "../../store/store.ts";
import type { RunEvent } from "../run-events.ts";
import { rungName } from "./rung.ts";

export type ModelSwitchEvent = Extract<RunEvent, { type: "model-switch" }>;

/** A run's moves on its escalation ladder, in order (the stored `model-switch` events). */
export async function listModelSwitches(store: Store, runId: string): Promise<ModelSwitchEvent[]> {
  const events = await store.listEvents(runId);
  return events.filter((event) => event.type === "model-switch").map((event) => event.data as ModelSwitchEvent);
}

/** One line for people: `deepseek-v4-flash (thinking off) → deepseek-v4-flash (thinking on): 2 tool errors in a row`. */
export function modelSwitchText(event: ModelSwitchEvent): string {
  const to =
    event.from.model === event.to.model && event.from.thinking === event.to.thinking ? "" : ` → ${rungName(event.to)}`;
  return `${rungName(event.from)}${to}: ${event.reason}`;
}
