import type { ChartConfiguration } from "chart.js";
import { useEffect, useRef } from "preact/hooks";
import { locale, t } from "../i18n.ts";
import { Chart } from "./chart-setup.ts";

/** The same numbers as the chart, as text: for screen readers, and for anyone who wants the exact values. */
export interface ChartTable {
  columns: readonly string[];
  rows: ReadonlyArray<readonly string[]>;
  /** Columns holding numbers (aligned right); the first column is the row's name. */
  numeric?: readonly number[];
}

/** The kinds of chart the viewer draws (chart-setup.ts registers exactly these). */
export type ViewerChartConfig = ChartConfiguration<"bar"> | ChartConfiguration<"line"> | ChartConfiguration<"scatter">;

export interface ChartCanvasProps {
  config: ViewerChartConfig;
  /** The chart's accessible name: what it shows, in a sentence. */
  label: string;
  table: ChartTable;
  /** CSS height of the drawing area. */
  height?: string;
}

/** One Chart.js chart in Preact: made on mount, updated when its config changes, destroyed on unmount. */
export function ChartCanvas({ config, label, table, height }: ChartCanvasProps) {
  const canvas = useRef<HTMLCanvasElement>(null);
  const chart = useRef<Chart | undefined>(undefined);
  useEffect(() => {
    if (!canvas.current) return;
    const options = { ...config.options, locale: locale(), responsive: true, maintainAspectRatio: false };
    const existing = chart.current;
    if (existing && (existing.config as ChartConfiguration).type === config.type) {
      existing.data = config.data;
      existing.options = options as typeof existing.options;
      existing.update();
      return;
    }
    existing?.destroy();
    chart.current = new Chart(canvas.current, { ...config, options } as ChartConfiguration);
  }, [config]);
  useEffect(
    () => () => {
      chart.current?.destroy();
      chart.current = undefined;
    },
    [],
  );
  const numeric = new Set(table.numeric ?? []);
  return (
    <figure class="chart">
      <div class="chart-box" style={height ? { height } : undefined}>
        <canvas ref={canvas} role="img" aria-label={label}>
          {label}
        </canvas>
      </div>
      <details class="chart-data">
        <summary>{t("chart.dataTable")}</summary>
        <div class="table-scroll">
          <table>
            <caption class="visually-hidden">{label}</caption>
            <thead>
              <tr>
                {table.columns.map((column, index) => (
                  <th scope="col" class={numeric.has(index) ? "number" : undefined} key={column}>
                    {column}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {table.rows.map((row, rowIndex) => (
                <tr key={rowIndex}>
                  {row.map((cell, index) =>
                    index === 0 ? (
                      <th scope="row" key={index}>
                        {cell}
                      </th>
                    ) : (
                      <td class={numeric.has(index) ? "number" : undefined} key={index}>
                        {cell}
                      </td>
                    ),
                  )}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </details>
    </figure>
  );
}
