import type { CollectedRun } from "./collect-runs.ts";
import { formatTokens, percent, seconds, usdOrDash } from "./format-report-values.ts";

const escapeCell = (text: string) => text.replace(/\|/g, "\\|");

function passAtKCell(passAtK: Record<string, number>): string {
  const entries = Object.entries(passAtK).filter(([name]) => name !== "pass@1");
  return entries.length === 0 ? "–" : entries.map(([name, value]) => `${name} ${percent(value)}`).join(", ");
}

function runRow({ summary, directory }: CollectedRun): string {
  const tokens = `${formatTokens(summary.tokens.input)} / ${formatTokens(summary.tokens.output)} / ${formatTokens(summary.tokens.cached)}`;
  const latency = summary.latencyMs ? `${seconds(summary.latencyMs.p50)} / ${seconds(summary.latencyMs.p95)}` : "–";
  const tasks =
    summary.samples.perTask.max > 1 ? `${summary.tasks} × ${summary.samples.perTask.max}` : `${summary.tasks}`;
  const cells = [
    summary.suite,
    summary.model + (summary.complete ? "" : " (incomplete)"),
    directory,
    tasks,
    percent(summary.passAt1),
    passAtKCell(summary.passAtK),
    tokens,
    usdOrDash(summary.costUsd),
    usdOrDash(summary.costPerSolvedUsd),
    latency,
  ];
  return `| ${cells.map(escapeCell).join(" | ")} |`;
}

function bfclTable(runs: readonly CollectedRun[]): string[] {
  const bfclRuns = runs.filter((run) => run.summary.categories);
  if (bfclRuns.length === 0) return [];
  const categories = [...new Set(bfclRuns.flatMap((run) => Object.keys(run.summary.categories ?? {})))];
  const lines = [
    "## BFCL accuracy per category",
    "",
    `| model | ${categories.join(" | ")} | mean of categories |`,
    `|---|${categories.map(() => "---:").join("|")}|---:|`,
  ];
  for (const { summary } of bfclRuns) {
    const cells = categories.map((category) => {
      const entry = summary.categories?.[category];
      return entry ? `${percent(entry.accuracy)} (${entry.tasks})` : "–";
    });
    lines.push(`| ${escapeCell(summary.model)} | ${cells.join(" | ")} | ${percent(summary.categoryMean ?? 0)} |`);
  }
  lines.push("", "BFCL's AST check (non-live); accuracy with the number of tasks in brackets.", "");
  return lines;
}

function notes(runs: readonly CollectedRun[]): string[] {
  const lines: string[] = [];
  for (const { summary } of runs) {
    if (summary.samples.errors > 0) {
      lines.push(
        `- ${summary.suite} / ${summary.model}: ${summary.samples.errors} samples ended in model errors and count as failed; ` +
          "rerun with the same --out to retry them.",
      );
    }
    if (summary.reference) {
      lines.push(
        `- ${summary.suite} / reference scores the dataset's own answers: it checks the harness, not a model.`,
      );
    }
  }
  return lines.length === 0 ? [] : ["## Notes", "", ...lines, ""];
}

/** A chart beside report.md: one per suite. */
export interface ReportChart {
  suite: string;
  file: string;
}

/** report.md: one row per run found in the folder tree, BFCL's categories, a chart per suite and notes. */
export function renderReport(
  runs: readonly CollectedRun[],
  options: { charts?: readonly ReportChart[]; generatedAt: Date },
): string {
  const lines = [
    "# Tansuo eval report",
    "",
    `Generated ${options.generatedAt.toISOString()} from ${runs.length} run${runs.length === 1 ? "" : "s"} in this folder and its subfolders.`,
    "",
    "| suite | model | folder | tasks | pass@1 | pass@k | tokens in / out / cached | cost | cost per solved | latency p50 / p95 |",
    "|---|---|---|---:|---:|---|---:|---:|---:|---:|",
    ...runs.map(runRow),
    "",
    ...bfclTable(runs),
  ];
  const charts = options.charts ?? [];
  if (charts.length > 0) lines.push("## Pass rate against cost per task", "");
  for (const chart of charts)
    lines.push(`![${escapeCell(chart.suite)}: pass rate against cost per task](${chart.file})`, "");
  lines.push(...notes(runs));
  return `${lines.join("\n").trimEnd()}\n`;
}
