import { writeFile } from "node:fs/promises";
import path from "node:path";
import { collectRuns } from "../report/collect-runs.ts";
import { renderPassRateCostChart } from "../report/pass-rate-cost-chart.ts";
import { chartPoints } from "../report/write-run-files.ts";
import { buildComparison, type Comparison } from "./comparison.ts";
import { renderComparison } from "./comparison-markdown.ts";
import { modelFolderName } from "./model-folder-name.ts";

export interface ComparisonFiles {
  markdown: string;
  json: string;
  chart: string;
}

const chartFile = "comparison-pass-rate-vs-cost.svg";

/**
 * Writes comparison.md, comparison.json and the chart of a `--models` run from the runs in `<out>/<model>/`,
 * read back with the report's own collector, so the comparison and each folder's report.md agree.
 */
export async function writeComparison(
  outDirectory: string,
  suite: string,
  modelIds: readonly string[],
  generatedAt = new Date(),
): Promise<{ comparison: Comparison; files: ComparisonFiles }> {
  const runs = await collectRuns(outDirectory);
  const models = modelIds.map((id) => ({ id, directory: modelFolderName(id) }));
  const comparison = buildComparison(suite, models, runs, generatedAt);
  const compared = runs.filter((run) =>
    comparison.models.some((model) => model.directory === run.directory && model.id === run.summary.model),
  );
  const files: ComparisonFiles = {
    markdown: path.join(outDirectory, "comparison.md"),
    json: path.join(outDirectory, "comparison.json"),
    chart: path.join(outDirectory, chartFile),
  };
  await writeFile(
    files.chart,
    renderPassRateCostChart(
      chartPoints(compared.filter((run) => run.summary.suite === suite)),
      `${suite}: pass rate against cost`,
    ),
  );
  await writeFile(files.json, `${JSON.stringify(comparison, null, 2)}\n`);
  await writeFile(files.markdown, renderComparison(comparison, chartFile));
  return { comparison, files };
}
