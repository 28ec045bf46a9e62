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
  /** The distinct ways runs that did not succeed ended (status and error), with how many ended so. */
  failures: string[];
}

/** Summed RSS growth over each process's idle RSS, per run. */
export const rssPerRunMegabytes = (result: ModeResult) =>
  result.gauges.reduce((total, gauge) => total + gauge.peakRssMegabytes - gauge.idleRssMegabytes, 0) / result.runs;

/** The worst p99 event-loop delay among the processes. */
export const eventLoopP99Milliseconds = (result: ModeResult) =>
  Math.max(...result.gauges.map((gauge) => gauge.eventLoopDelayP99Milliseconds));

/** CPU time of the processes that executed the runs, per run. */
export const cpuPerRunMilliseconds = (result: ModeResult) =>
  result.gauges.reduce((total, gauge) => total + gauge.cpuMilliseconds, 0) / result.runs;

/** "3 x failed: ..." for each distinct ending among `endings`. */
export function distinctFailures(endings: string[]): string[] {
  const counts = new Map<string, number>();
  for (const ending of endings) counts.set(ending, (counts.get(ending) ?? 0) + 1);
  return [...counts].map(([ending, count]) => `${count} x ${ending}`);
}
