import { formatTokens, percent, usdOrDash } from "../report/format-report-values.ts";
import type { ComparedModel, Comparison } from "./comparison.ts";

const escapeCell = (text: string) => text.replace(/\|/g, "\\|");

function passAtKCell(passAtK: Record<string, number>): string {
  const entries = Object.entries(passAtK);
  return entries.length === 0 ? "–" : entries.map(([name, value]) => `${name} ${percent(value)}`).join(", ");
}

function row(model: ComparedModel): string {
  const tasks = model.samplesPerTask > 1 ? `${model.tasks} × ${model.samplesPerTask}` : `${model.tasks}`;
  const solved = model.samplesPerTask > 1 ? model.solvedTasks.toFixed(1) : `${Math.round(model.solvedTasks)}`;
  const cells = [
    model.id + (model.complete ? "" : " (incomplete)"),
    model.directory,
    tasks,
    percent(model.passAt1),
    passAtKCell(model.passAtK),
    solved,
    `${formatTokens(model.tokens.input)} / ${formatTokens(model.tokens.output)} / ${formatTokens(model.tokens.cached)}`,
    usdOrDash(model.costUsd),
    usdOrDash(model.costPerSolvedUsd),
  ];
  return `| ${cells.map(escapeCell).join(" | ")} |`;
}

/** comparison.md: one row per model, exact dollars in comparison.json, and the chart beside it. */
export function renderComparison(comparison: Comparison, chartFile: string): string {
  const lines = [
    `# ${comparison.suite}: model comparison`,
    "",
    `Generated ${comparison.generatedAt} from ${comparison.models.length} model run${comparison.models.length === 1 ? "" : "s"}, one folder each.`,
    "",
    "| model | folder | tasks | pass@1 | pass@k | solved | tokens in / out / cached | cost | cost per solved |",
    "|---|---|---:|---:|---|---:|---:|---:|---:|",
    ...comparison.models.map(row),
    "",
    `![${escapeCell(comparison.suite)}: pass rate against cost per task](${chartFile})`,
    "",
  ];
  if (comparison.models.some((model) => !model.complete)) {
    lines.push("Incomplete runs count unfinished samples as failed: rerun with the same --out to finish them.", "");
  }
  return `${lines.join("\n").trimEnd()}\n`;
}
