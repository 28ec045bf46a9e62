import type { Store } from "../../store/store.ts";
import type { ModelFallbackEvent } from "./model-fallback.ts";

/** A run's moves to its fallback models, in order (the stored `model-fallback` events). */
export async function listModelFallbacks(store: Store, runId: string): Promise<ModelFallbackEvent[]> {
  const events = await store.listEvents(runId);
  return events.filter((event) => event.type === "model-fallback").map((event) => event.data as ModelFallbackEvent);
}

/** One line for people: `after step 2: deepseek-v4-flash → deepseek-v4-pro: HTTP 503 past the retries: ...`. */
export const modelFallbackText = (event: ModelFallbackEvent): string =>
  `after step ${event.step + 1}: fell back ${event.from} → ${event.to}: ${event.reason}`;
