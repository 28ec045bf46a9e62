import { writeFile } from "node:fs/promises";
import path from "node:path";
import type { EvalSummary } from "../run/summarize.ts";
import { collectRuns } from "./collect-runs.ts";
import { renderPassRateCostChart } from "./pass-rate-cost-chart.ts";
import { renderReport } from "./report-markdown.ts";

export interface RunFiles {
  results: string;
  summary: string;
  report: string;
  /** Written when the folder tree holds at least two model runs to compare. */
  chart?: string;
}

export const chartFileName = "pass-rate-vs-cost.svg";

/** Writes summary.json (this run), report.md (every run in the folder tree) and, for two runs or more, the chart. */
export async function writeRunFiles(
  outDirectory: string,
  summary: EvalSummary,
  generatedAt = new Date(),
): Promise<RunFiles> {
  const files: RunFiles = {
    results: path.join(outDirectory, "results.jsonl"),
    summary: path.join(outDirectory, "summary.json"),
    report: path.join(outDirectory, "report.md"),
  };
  await writeFile(files.summary, `${JSON.stringify(summary, null, 2)}\n`);
  const runs = await collectRuns(outDirectory);
  const modelRuns = runs.filter((run) => !run.summary.reference);
  let chartFile: string | undefined;
  if (modelRuns.length >= 2) {
    const points = modelRuns.map(({ summary: run }) => ({
      label: `${run.model} · ${run.suite}`,
      passRate: run.passAt1,
      costUsd: run.costPerTaskUsd,
    }));
    files.chart = path.join(outDirectory, chartFileName);
    chartFile = chartFileName;
    await writeFile(files.chart, renderPassRateCostChart(points));
  }
  await writeFile(files.report, renderReport(runs, { generatedAt, ...(chartFile ? { chartFile } : {}) }));
  return files;
}
