import type { EvalSummary } from "../run/summarize.ts";
import { formatTokens, percent, seconds, usdOrDash } from "./format-report-values.ts";

/** The few lines printed at the end of a run. */
export function formatEvalSummary(summary: EvalSummary): string {
  const solved =
    summary.samples.perTask.max > 1
      ? `${summary.solvedTasks.toFixed(1)} of ${summary.tasks} tasks expected solved`
      : `${Math.round(summary.solvedTasks)}/${summary.tasks} tasks`;
  const others = Object.entries(summary.passAtK)
    .filter(([name]) => name !== "pass@1")
    .map(([name, value]) => `, ${name} ${percent(value)}`)
    .join("");
  const lines = [`${summary.suite} · ${summary.model}: pass@1 ${percent(summary.passAt1)} (${solved})${others}`];
  for (const [category, entry] of Object.entries(summary.categories ?? {})) {
    lines.push(`  ${category.padEnd(18)} ${percent(entry.accuracy).padStart(6)}  (${entry.tasks} tasks)`);
  }
  if (summary.categories)
    lines.push(`  ${"mean of categories".padEnd(18)} ${percent(summary.categoryMean ?? 0).padStart(6)}`);
  if (!summary.reference) {
    const { tokens } = summary;
    lines.push(
      `tokens ${formatTokens(tokens.input)} in (${formatTokens(tokens.cached)} cached) / ${formatTokens(tokens.output)} out` +
        ` · cost ${usdOrDash(summary.costUsd)} · ${usdOrDash(summary.costPerSolvedUsd)} per solved task` +
        (summary.latencyMs
          ? ` · latency p50 ${seconds(summary.latencyMs.p50)}, p95 ${seconds(summary.latencyMs.p95)}`
          : ""),
    );
  }
  return lines.join("\n");
}
