import type { ChartConfiguration } from "chart.js";
import { useMemo } from "preact/hooks";
import type { PricedList, Step } from "../api-types.ts";
import { formatPercent, formatTokens, formatUsd } from "../format.ts";
import { locale, t } from "../i18n.ts";
import { dollars, logUsdAxis, percentTick, tokenTick, usdTick, wantsLogScale } from "./axis-format.ts";
import { ChartCanvas } from "./chart-canvas.tsx";
import { barColours, lineColours, seriesStyle } from "./series-style.ts";

const stepName = (step: Step): string => t("charts.step", { number: step.index + 1 });
const stepNumber = (step: Step): string => String(step.index + 1);

/** The step axis: numbers under the bars, "Step n" in the tooltip. */
function stepAxis(stacked = false) {
  return { stacked, title: { display: true, text: t("charts.stepColumn") }, ticks: { maxRotation: 0 } };
}
const stepTooltipTitle = (steps: readonly Step[]) => (items: Array<{ dataIndex: number }>) =>
  items[0] ? stepName(steps[items[0].dataIndex]!) : "";

/** The share of a step's input read from the cache, or null when the step read no input. */
export function cacheHitShare(step: Step): number | null {
  const input = step.usage.cache_hit_tokens + step.usage.cache_miss_tokens;
  return input === 0 ? null : step.usage.cache_hit_tokens / input;
}

function cumulativeCost(steps: readonly Step[]) {
  const config: ChartConfiguration<"line"> = {
    type: "line",
    data: {
      labels: steps.map(stepNumber),
      datasets: [
        {
          label: t("charts.cumulativeCost"),
          data: steps.map((step) => dollars(step.cumulative_cost_usd)),
          ...lineColours(0),
          // An estimated step is drawn as a triangle: its usage was not reported by the provider.
          pointStyle: steps.map((step) => (step.estimated ? "triangle" : "circle")),
          pointRadius: steps.map((step) => (step.estimated ? 6 : 3)),
          tension: 0,
        },
      ],
    },
    options: {
      scales: { x: stepAxis(), y: { beginAtZero: true, ticks: { callback: usdTick } } },
      plugins: {
        legend: { display: false },
        tooltip: {
          callbacks: {
            title: stepTooltipTitle(steps),
            label: (item) => {
              const step = steps[item.dataIndex]!;
              const estimated = step.estimated ? ` (${t("charts.estimated")})` : "";
              return `${formatUsd(step.cumulative_cost_usd)} · +${formatUsd(step.cost_usd)}${estimated}`;
            },
          },
        },
      },
    },
  };
  const table = {
    columns: [t("charts.stepColumn"), t("charts.stepCost"), t("charts.cumulativeCost"), t("charts.estimated")],
    numeric: [1, 2],
    rows: steps.map((step) => [
      stepName(step),
      formatUsd(step.cost_usd),
      formatUsd(step.cumulative_cost_usd),
      step.estimated ? t("charts.yes") : t("charts.no"),
    ]),
  };
  return { config, table };
}

function cacheShare(steps: readonly Step[]) {
  const config: ChartConfiguration<"bar"> = {
    type: "bar",
    data: {
      labels: steps.map(stepNumber),
      datasets: [{ label: t("charts.cacheShare"), data: steps.map(cacheHitShare), ...barColours(2) }],
    },
    options: {
      scales: { x: stepAxis(), y: { min: 0, max: 1, ticks: { callback: percentTick } } },
      plugins: {
        legend: { display: false },
        tooltip: { callbacks: { title: stepTooltipTitle(steps), label: (item) => formatPercent(Number(item.raw)) } },
      },
    },
  };
  const table = {
    columns: [t("charts.stepColumn"), t("charts.cacheHit"), t("charts.cacheMiss"), t("charts.cacheShare")],
    numeric: [1, 2, 3],
    rows: steps.map((step) => {
      const share = cacheHitShare(step);
      return [
        stepName(step),
        formatTokens(step.usage.cache_hit_tokens),
        formatTokens(step.usage.cache_miss_tokens),
        share === null ? "–" : formatPercent(share),
      ];
    }),
  };
  return { config, table };
}

function tokensPerStep(steps: readonly Step[]) {
  // Reasoning tokens are inside output tokens (src/cost/usage.ts): the bar splits output into its two parts.
  const series = [
    { label: t("charts.cacheHit"), values: steps.map((step) => step.usage.cache_hit_tokens) },
    { label: t("charts.cacheMiss"), values: steps.map((step) => step.usage.cache_miss_tokens) },
    {
      label: t("charts.outputText"),
      values: steps.map((step) => Math.max(0, step.usage.output_tokens - step.usage.reasoning_tokens)),
    },
    { label: t("charts.reasoning"), values: steps.map((step) => step.usage.reasoning_tokens) },
  ];
  const config: ChartConfiguration<"bar"> = {
    type: "bar",
    data: {
      labels: steps.map(stepNumber),
      datasets: series.map((entry, index) => ({ label: entry.label, data: entry.values, ...barColours(index) })),
    },
    options: {
      scales: { x: stepAxis(true), y: { stacked: true, beginAtZero: true, ticks: { callback: tokenTick } } },
      plugins: {
        tooltip: {
          mode: "index",
          callbacks: {
            title: stepTooltipTitle(steps),
            label: (item) => `${item.dataset.label}: ${formatTokens(Number(item.raw))}`,
          },
        },
      },
    },
  };
  const table = {
    columns: [t("charts.stepColumn"), ...series.map((entry) => entry.label)],
    numeric: [1, 2, 3, 4],
    rows: steps.map((step, index) => [stepName(step), ...series.map((entry) => formatTokens(entry.values[index]!))]),
  };
  return { config, table };
}

/** The model the run's steps mostly used: the one highlighted among the other models' prices. */
export function runModel(steps: readonly Step[]): string | undefined {
  const counts = new Map<string, number>();
  for (const step of steps) counts.set(step.model, (counts.get(step.model) ?? 0) + 1);
  return [...counts.entries()].sort((left, right) => right[1] - left[1])[0]?.[0];
}

const ratioText = (ratio: number | null): string =>
  ratio === null ? "–" : `×${ratio.toLocaleString(locale(), { maximumSignificantDigits: 3 })}`;

// The cost figure of a priced row: unpriced models (named ones without a price at the run's date) stay in the table.
type PricedRow = PricedList["data"][number] & { cost_usd: string };

function pricedOnOthers(priced: PricedList, ownModel: string | undefined) {
  const rows = priced.data.filter((row): row is PricedRow => row.cost_usd !== null);
  const own = seriesStyle(0);
  // Prices span 100x and more: a log axis keeps the cheap models' bars visible.
  const logScale = wantsLogScale(
    rows.map((row) => dollars(row.cost_usd)),
    20,
  );
  const other = seriesStyle(5);
  const config: ChartConfiguration<"bar"> = {
    type: "bar",
    data: {
      labels: rows.map((row) =>
        row.model === ownModel ? `${row.model} (${t("charts.thisRun")})` : `${row.model} ${ratioText(row.ratio)}`,
      ),
      datasets: [
        {
          label: t("charts.pricedCost"),
          data: rows.map((row) => dollars(row.cost_usd)),
          backgroundColor: rows.map((row) => (row.model === ownModel ? own.colour : "#e0f2f7")),
          borderColor: rows.map((row) => (row.model === ownModel ? own.colour : other.colour)),
          borderWidth: rows.map((row) => (row.model === ownModel ? 3 : 1)),
        },
      ],
    },
    options: {
      indexAxis: "y",
      scales: {
        x: logScale ? logUsdAxis(t("charts.logAxis")) : { beginAtZero: true, ticks: { callback: usdTick } },
        y: { ticks: { font: (context) => ({ weight: rows[context.index]?.model === ownModel ? "bold" : "normal" }) } },
      },
      plugins: {
        legend: { display: false },
        tooltip: {
          callbacks: {
            label: (item) => {
              const row = rows[item.dataIndex]!;
              return `${formatUsd(row.cost_usd)} (${ratioText(row.ratio)}) · ${row.provider ?? "–"}`;
            },
          },
        },
      },
    },
  };
  const table = {
    columns: [
      t("charts.model"),
      t("charts.provider"),
      t("charts.pricedCost"),
      t("charts.ratio"),
      t("charts.cacheHits"),
    ],
    numeric: [2, 3],
    rows: priced.data.map((row) => [
      row.model === ownModel ? `${row.model} (${t("charts.thisRun")})` : row.model,
      row.provider ?? "–",
      row.cost_usd === null ? "–" : formatUsd(row.cost_usd),
      ratioText(row.ratio),
      row.reason ?? (row.cache_hits === "cache-hit price" ? t("charts.hitPrice") : t("charts.hitsAsMisses")),
    ]),
  };
  return { config, table, height: `${Math.max(220, rows.length * 26 + 60)}px` };
}

/** A run's pictures: cumulative cost, cache-hit share and tokens per step, and the run priced on other models. */
export function RunCharts({ steps, priced }: { steps: readonly Step[]; priced: PricedList | undefined }) {
  const charts = useMemo(
    () => ({ cost: cumulativeCost(steps), cache: cacheShare(steps), tokens: tokensPerStep(steps) }),
    [steps],
  );
  const ownModel = runModel(steps);
  const others = useMemo(() => (priced ? pricedOnOthers(priced, ownModel) : undefined), [priced, ownModel]);
  if (steps.length === 0) return <p class="muted">{t("charts.noSteps")}</p>;
  return (
    <section class="run-charts" aria-labelledby="run-charts-title">
      <h2 id="run-charts-title">{t("charts.title")}</h2>
      <div class="chart-grid">
        <div>
          <h3>{t("charts.cumulativeCost")}</h3>
          <ChartCanvas config={charts.cost.config} table={charts.cost.table} label={t("charts.cumulativeCostLabel")} />
          {steps.some((step) => step.estimated) ? <p class="chart-note">{t("charts.estimatedNote")}</p> : null}
        </div>
        <div>
          <h3>{t("charts.cacheShare")}</h3>
          <ChartCanvas config={charts.cache.config} table={charts.cache.table} label={t("charts.cacheShareLabel")} />
        </div>
        <div>
          <h3>{t("charts.tokens")}</h3>
          <ChartCanvas config={charts.tokens.config} table={charts.tokens.table} label={t("charts.tokensLabel")} />
        </div>
        <div>
          <h3>{t("charts.pricedTitle")}</h3>
          {others && others.table.rows.length > 0 ? (
            <ChartCanvas
              config={others.config}
              table={others.table}
              height={others.height}
              label={t("charts.pricedLabel", { model: ownModel ?? "–" })}
            />
          ) : (
            <p class="muted">{priced ? t("charts.noPrices") : t("common.loading")}</p>
          )}
          {priced ? (
            <p class="chart-note">
              {t("charts.pricedNote", { day: priced.priced_at.slice(0, 10), id: priced.run_id })}
            </p>
          ) : null}
        </div>
      </div>
    </section>
  );
}
