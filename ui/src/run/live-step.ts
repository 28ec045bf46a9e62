/** The text a step streams before it commits, built from the run's events. */
export interface LiveStep {
  step: number;
  text: string;
  reasoning: string;
}

interface StreamedEvent {
  type: string;
  step?: number;
  text?: string;
}

/** The live step after one event: a new step starts empty, deltas append, a step's usage (its commit) ends it. */
export function nextLiveStep(live: LiveStep | undefined, event: StreamedEvent): LiveStep | undefined {
  if (event.type === "step-started" && typeof event.step === "number")
    return { step: event.step, text: "", reasoning: "" };
  if (event.type === "finished") return undefined;
  if (!live || event.step !== live.step) return live;
  if (event.type === "text-delta") return { ...live, text: live.text + (event.text ?? "") };
  if (event.type === "reasoning-delta") return { ...live, reasoning: live.reasoning + (event.text ?? "") };
  if (event.type === "usage") return undefined;
  return live;
}
