/** Where a run stands, for the progress line. */
export interface ProgressState {
  label: string;
  /** Samples this invocation has to do (finished ones from an earlier run are not counted). */
  total: number;
  done: number;
  passed: number;
  failed: number;
  errors: number;
  tokens: number;
  costUsd: string;
  elapsedMs: number;
}
