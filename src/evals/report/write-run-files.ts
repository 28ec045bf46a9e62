import { readdir, rm, stat, writeFile } from "node:fs/promises";
import path from "node:path";
import type { EvalSummary } from "../run/summarize.ts";
import { type CollectedRun, collectRuns, maximumDepth } from "./collect-runs.ts";
import { renderPassRateCostChart } from "./pass-rate-cost-chart.ts";
import { type ReportChart, renderReport } from "./report-markdown.ts";

export interface RunFiles {
  results: string;
  summary: string;
  report: string;
  /** One pass-rate-against-cost chart per suite with a model run in the folder tree. */
  charts: string[];
}

const chartPrefix = "pass-rate-vs-cost";

/** `pass-rate-vs-cost-<suite>.svg`, with the suite id made safe for a file name. */
export const chartFileName = (suite: string): string => `${chartPrefix}-${suite.replace(/[^A-Za-z0-9._-]+/g, "_")}.svg`;

// Labels name the model (the suite is the chart's title); the folder is added where one model was run twice.
export function chartPoints(runs: readonly CollectedRun[]) {
  const models = runs.map((run) => run.summary.model);
  return runs.map(({ summary, directory }) => ({
    label:
      models.filter((model) => model === summary.model).length > 1 ? `${summary.model} (${directory})` : summary.model,
    passRate: summary.passAt1,
    costUsd: summary.costPerTaskUsd,
  }));
}

/** Writes report.md and the charts of a folder from every run in its tree; returns the charts written. */
async function writeFolderReport(directory: string, generatedAt: Date): Promise<{ report: string; charts: string[] }> {
  const runs = await collectRuns(directory);
  const suites = [...new Set(runs.filter((run) => !run.summary.reference).map((run) => run.summary.suite))];
  const charts: ReportChart[] = [];
  for (const suite of suites) {
    const suiteRuns = runs.filter((run) => run.summary.suite === suite && !run.summary.reference);
    const file = chartFileName(suite);
    await writeFile(
      path.join(directory, file),
      renderPassRateCostChart(chartPoints(suiteRuns), `${suite}: pass rate against cost`),
    );
    charts.push({ suite, file });
  }
  // A chart of a suite no longer in the tree (or from the one-chart layout before) would be stale: remove it.
  const kept = new Set(charts.map((chart) => chart.file));
  for (const name of await readdir(directory)) {
    if (name.startsWith(chartPrefix) && name.endsWith(".svg") && !kept.has(name)) await rm(path.join(directory, name));
  }
  const report = path.join(directory, "report.md");
  await writeFile(report, renderReport(runs, { generatedAt, charts }));
  return { report, charts: charts.map((chart) => path.join(directory, chart.file)) };
}

const hasReport = async (directory: string): Promise<boolean> =>
  stat(path.join(directory, "report.md")).then(
    (found) => found.isFile(),
    () => false,
  );

/**
 * Writes summary.json (this run), then report.md and the charts (every run in the folder tree), and refreshes the
 * report of each enclosing folder that has one and sees this folder (collectRuns looks `maximumDepth` levels down).
 */
export async function writeRunFiles(
  outDirectory: string,
  summary: EvalSummary,
  generatedAt = new Date(),
): Promise<RunFiles> {
  const summaryFile = path.join(outDirectory, "summary.json");
  await writeFile(summaryFile, `${JSON.stringify(summary, null, 2)}\n`);
  const written = await writeFolderReport(outDirectory, generatedAt);
  let parent = path.resolve(outDirectory);
  for (let level = 1; level <= maximumDepth; level++) {
    const next = path.dirname(parent);
    if (next === parent) break;
    parent = next;
    if (await hasReport(parent)) await writeFolderReport(parent, generatedAt);
  }
  return { results: path.join(outDirectory, "results.jsonl"), summary: summaryFile, ...written };
}
