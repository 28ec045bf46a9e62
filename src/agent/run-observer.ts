import type { ModelEntry } from "../models/model-entry.ts";
import type { RunRecord, StepRecord, ToolCallRecord } from "../store/records.ts";
import type { RunEvent } from "./run-events.ts";

/**
 * Watches one execution of a run from inside the process (telemetry uses it for spans). Its methods must not
 * throw or wait: the loop calls them in passing and never on its hot path twice for one thing.
 */
export interface RunObserver {
  /** The run's model, once resolved (before the first call). */
  modelResolved(entry: ModelEntry): void;
  /** Every event the run emits, as it is emitted (deltas included). */
  event(event: RunEvent): void;
  /** A model call as the store committed it: its usage, cost and finish reason. */
  stepRecorded(step: StepRecord): void;
  /** A tool call about to run (its start recorded); its `tool-result` event ends it. */
  toolStarted(call: ToolCallRecord): void;
  /** This execution ended: finished, waiting for a person, or stopped (the run as stored, if it could be read). */
  ended(run: RunRecord | undefined): void;
}

/** Makes an observer for each execution of a run (a fresh run, a resume, a continued conversation). */
export type ObserveRun = (run: RunRecord) => RunObserver;

export const noRunObserver: RunObserver = {
  modelResolved: () => {},
  event: () => {},
  stepRecorded: () => {},
  toolStarted: () => {},
  ended: () => {},
};
