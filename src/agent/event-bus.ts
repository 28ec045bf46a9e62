import type { RunEvent } from "./run-events.ts";

/** A run event with its store sequence number (the SSE event id). */
export type SequencedRunEvent = RunEvent & { sequence: number };
export type SequencedRunEventListener = (event: SequencedRunEvent) => void;

/** In-process fan-out of live run events (the store keeps them for replay). */
export class EventBus {
  private readonly listeners = new Map<string, Set<SequencedRunEventListener>>();

  subscribe(runId: string, listener: SequencedRunEventListener): () => void {
    let set = this.listeners.get(runId);
    if (!set) {
      set = new Set();
      this.listeners.set(runId, set);
    }
    set.add(listener);
    return () => {
      set.delete(listener);
      if (set.size === 0) this.listeners.delete(runId);
    };
  }

  publish(runId: string, event: SequencedRunEvent): void {
    for (const listener of this.listeners.get(runId) ?? []) listener(event);
  }
}
