import type { ChartConfiguration } from "chart.js";
import { useMemo } from "preact/hooks";
import type { EvalSummaryRow } from "../api-types.ts";
import { dollars, logUsdAxis, percentTick, usdTick, wantsLogScale } from "../charts/axis-format.ts";
import { ChartCanvas } from "../charts/chart-canvas.tsx";
import { lineColours } from "../charts/series-style.ts";
import { formatPercent, formatUsd } from "../format.ts";
import { t } from "../i18n.ts";
import { pointLabels } from "./point-labels.ts";

const rowName = (row: EvalSummaryRow): string => (row.complete ? row.model : `${row.model} (${t("evals.partial")})`);

/** One suite's runs: pass rate (y) against cost per task (x), a point per model labelled with its name. */
export function PassCostChart({ suite, rows }: { suite: string; rows: readonly EvalSummaryRow[] }) {
  const config = useMemo((): ChartConfiguration<"scatter"> => {
    const costs = rows.map((row) => dollars(row.cost_per_task_usd));
    // A log cost axis once the cheapest and dearest model are more than 10x apart (and none is free).
    const logScale = wantsLogScale(costs);
    const highest = Math.max(0, ...costs);
    const lowest = Math.min(...costs.filter((cost) => cost > 0), highest);
    // Room around the outermost points, so their markers and labels are not cut at the chart's edge.
    const bounds = logScale ? { min: lowest / 1.6, max: highest * 1.6 } : { beginAtZero: true, grace: "12%" };
    // Each model is its own dataset, so the legend and tooltip name it and each gets its own point shape.
    return {
      type: "scatter",
      data: {
        datasets: rows.map((row, index) => ({
          label: rowName(row),
          data: [{ x: dollars(row.cost_per_task_usd), y: row.pass_at_1 }],
          ...lineColours(index),
          pointRadius: 6,
          pointHoverRadius: 8,
          // A point at 100% or at an axis end is drawn whole, not cut by the chart area.
          clip: false,
        })),
      },
      options: {
        layout: { padding: { right: 24, top: 16 } },
        scales: {
          x: {
            ...(logScale
              ? logUsdAxis(`${t("evals.costPerTask")} (${t("evals.logAxis")})`)
              : {
                  type: "linear",
                  ticks: { callback: usdTick },
                  title: { display: true, text: t("evals.costPerTask") },
                }),
            ...bounds,
          },
          y: {
            min: 0,
            max: 1,
            ticks: { callback: percentTick },
            title: { display: true, text: t("evals.passRate") },
          },
        },
        plugins: {
          title: { display: true, text: suite, font: { size: 14, weight: "bold" } },
          legend: { position: "bottom", labels: { usePointStyle: true } },
          tooltip: {
            callbacks: {
              label: (item) => {
                const row = rows[item.datasetIndex]!;
                return `${rowName(row)}: ${formatPercent(row.pass_at_1)} · ${formatUsd(row.cost_per_task_usd)} / ${t("evals.task")}`;
              },
            },
          },
        },
      },
      plugins: [
        pointLabels(
          (datasetIndex) => rows[datasetIndex]?.model ?? "",
          (datasetIndex) => lineColours(datasetIndex).borderColor,
        ),
      ],
    };
  }, [rows, suite]);
  const table = {
    columns: [t("evals.model"), t("evals.costPerTask"), t("evals.passRate")],
    numeric: [1, 2],
    rows: rows.map((row) => [rowName(row), formatUsd(row.cost_per_task_usd), formatPercent(row.pass_at_1)]),
  };
  return <ChartCanvas config={config} table={table} label={t("evals.chartLabel", { suite })} height="340px" />;
}
