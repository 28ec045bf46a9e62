import type { ChartConfiguration } from "chart.js";
import { useMemo, useState } from "preact/hooks";
import type { SpendList, SpendRow } from "../api-types.ts";
import { dollars, usdTick } from "../charts/axis-format.ts";
import { ChartCanvas } from "../charts/chart-canvas.tsx";
import { LoadNote } from "../charts/load-note.tsx";
import { barColours } from "../charts/series-style.ts";
import { formatPercent, formatTokens, formatUsd } from "../format.ts";
import { locale, t } from "../i18n.ts";
import { useJson } from "../use-json.ts";
import { type SinceChoice, sinceChoices, sinceDay } from "./since-day.ts";
import { SpendGroupsTable } from "./spend-groups-table.tsx";

function spendTable(rows: readonly SpendRow[], name: (row: SpendRow) => string) {
  return {
    columns: [
      t("costs.group"),
      t("costs.requests"),
      t("costs.cost"),
      t("costs.inputTokens"),
      t("costs.cacheHitTokens"),
      t("costs.outputTokens"),
      t("costs.cacheHitShare"),
    ],
    numeric: [1, 2, 3, 4, 5, 6],
    rows: rows.map((row) => [
      name(row),
      formatTokens(row.requests),
      formatUsd(row.cost_usd),
      formatTokens(row.input_tokens),
      formatTokens(row.cache_hit_tokens),
      formatTokens(row.output_tokens),
      row.cache_hit_share === null ? "–" : formatPercent(row.cache_hit_share),
    ]),
  };
}

function spendConfig(rows: readonly SpendRow[], name: (row: SpendRow) => string, horizontal: boolean) {
  const config: ChartConfiguration<"bar"> = {
    type: "bar",
    data: {
      labels: rows.map(name),
      datasets: [{ label: t("costs.cost"), data: rows.map((row) => dollars(row.cost_usd)), ...barColours(0) }],
    },
    options: {
      indexAxis: horizontal ? "y" : "x",
      scales: { [horizontal ? "x" : "y"]: { beginAtZero: true, ticks: { callback: usdTick } } },
      plugins: {
        legend: { display: false },
        tooltip: {
          callbacks: {
            label: (item) => {
              const row = rows[item.dataIndex]!;
              return `${formatUsd(row.cost_usd)} · ${t("costs.requestCount", { count: formatTokens(row.requests) })}`;
            },
          },
        },
      },
    },
  };
  return config;
}

const dayName = (row: SpendRow): string => row.day ?? "–";
// Short day names under the bars (the ledger's days are UTC dates); the table keeps the full date.
const shortDay = (row: SpendRow): string =>
  row.day
    ? new Date(`${row.day}T00:00:00Z`).toLocaleDateString(locale(), { month: "short", day: "numeric", timeZone: "UTC" })
    : "–";
const modelName = (row: SpendRow): string => row.model ?? "–";

/** Spend from the ledger per day and per model, since a chosen day. */
export function SpendCharts() {
  const [since, setSince] = useState<SinceChoice>(30);
  const sinceQuery = sinceDay(since);
  const byDay = useJson<SpendList>("/spend", { by: "day", since: sinceQuery });
  const byModel = useJson<SpendList>("/spend", { by: "model", since: sinceQuery });
  const days = useMemo(
    () => [...(byDay.data?.data ?? [])].sort((a, b) => dayName(a).localeCompare(dayName(b))),
    [byDay.data],
  );
  const models = useMemo(
    () => [...(byModel.data?.data ?? [])].sort((a, b) => dollars(b.cost_usd) - dollars(a.cost_usd)),
    [byModel.data],
  );
  const dayConfig = useMemo(() => spendConfig(days, shortDay, false), [days]);
  const modelConfig = useMemo(() => spendConfig(models, modelName, true), [models]);
  return (
    <section aria-labelledby="spend-title">
      <div class="section-head">
        <h2 id="spend-title">{t("costs.spendTitle")}</h2>
        <label class="inline-control">
          {t("costs.since")}
          <select value={since} onChange={(event) => setSince(Number(event.currentTarget.value) as SinceChoice)}>
            {sinceChoices.map((days) => (
              <option value={days} key={days}>
                {days === 0 ? t("costs.allTime") : t("costs.lastDays", { days })}
              </option>
            ))}
          </select>
        </label>
        {byDay.data ? (
          <span class="muted">{t("costs.total", { total: formatUsd(byDay.data.total.cost_usd) })}</span>
        ) : null}
      </div>
      <div class="chart-grid">
        <div>
          <h3>{t("costs.perDay")}</h3>
          <LoadNote loaded={byDay} />
          {byDay.data && days.length === 0 ? <p class="muted">{t("costs.noSpend")}</p> : null}
          {days.length > 0 ? (
            <ChartCanvas config={dayConfig} table={spendTable(days, dayName)} label={t("costs.perDayLabel")} />
          ) : null}
        </div>
        <div>
          <h3>{t("costs.perModel")}</h3>
          <LoadNote loaded={byModel} />
          {byModel.data && models.length === 0 ? <p class="muted">{t("costs.noSpend")}</p> : null}
          {models.length > 0 ? (
            <ChartCanvas
              config={modelConfig}
              table={spendTable(models, modelName)}
              label={t("costs.perModelLabel")}
              height={`${Math.max(220, models.length * 28 + 60)}px`}
            />
          ) : null}
        </div>
      </div>
      <SpendGroupsTable since={sinceQuery} />
    </section>
  );
}
