import type { GaugeReading } from "./process-gauge.ts";

/** One mode's measurement: how many runs (or call pairs) ended well, how long all of them took, and each process's gauge. */
export interface ModeResult {
  mode: string;
  runs: number;
  succeeded: number;
  /** Model calls the server answered during the measured span. */
  modelCalls: number;
  totalMilliseconds: number;
  /** One per process that executed the runs. */
  gauges: GaugeReading[];
  /** How the work was split, e.g. "2 workers x 500". */
  layout: string;
}

/** Summed RSS growth over each process's idle RSS, per run. */
export const rssPerRunMegabytes = (result: ModeResult) =>
  result.gauges.reduce((total, gauge) => total + gauge.peakRssMegabytes - gauge.idleRssMegabytes, 0) / result.runs;

/** The worst p99 event-loop delay among the processes. */
export const eventLoopP99Milliseconds = (result: ModeResult) =>
  Math.max(...result.gauges.map((gauge) => gauge.eventLoopDelayP99Milliseconds));
