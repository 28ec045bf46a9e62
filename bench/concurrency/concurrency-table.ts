import { cpuPerRunMilliseconds, eventLoopP99Milliseconds, type ModeResult, rssPerRunMegabytes } from "./mode-result.ts";

/** The markdown table of the modes, each beside the ideal and the bare-HTTP baseline measured in the same run. */
export function concurrencyTable(results: ModeResult[], idealMilliseconds: number): string {
  const baseline = results.find((result) => result.mode.startsWith("baseline"));
  const rows = [
    "| mode | layout | succeeded | model calls | total ms | **× ideal** | × baseline | RSS per run (KB) | CPU per run (ms) | event-loop delay p99 / max (ms) |",
    "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|",
  ];
  for (const result of results) {
    const versusBaseline = baseline ? (result.totalMilliseconds / baseline.totalMilliseconds).toFixed(2) : "";
    const worstMax = Math.max(...result.gauges.map((gauge) => gauge.eventLoopDelayMaxMilliseconds));
    rows.push(
      `| ${result.mode} | ${result.layout} | ${result.succeeded}/${result.runs} | ${result.modelCalls} | ` +
        `${result.totalMilliseconds.toFixed(0)} | **${(result.totalMilliseconds / idealMilliseconds).toFixed(2)}** | ` +
        `${versusBaseline} | ${(rssPerRunMegabytes(result) * 1024).toFixed(0)} | ${cpuPerRunMilliseconds(result).toFixed(2)} | ` +
        `${eventLoopP99Milliseconds(result).toFixed(1)} / ${worstMax.toFixed(1)} |`,
    );
  }
  return rows.join("\n");
}
