import type { ChartConfiguration } from "chart.js";
import { useMemo, useState } from "preact/hooks";
import type { PriceRow } from "../api-types.ts";
import { dollars, logUsdAxis, usdTick } from "../charts/axis-format.ts";
import { ChartCanvas } from "../charts/chart-canvas.tsx";
import { barColours } from "../charts/series-style.ts";
import { formatUsd } from "../format.ts";
import { t } from "../i18n.ts";

/** The three prices per 1M tokens, in the order they are drawn and listed. */
export const priceKinds = [
  { field: "input_cache_hit", label: "costs.priceCacheHit" },
  { field: "input_cache_miss", label: "costs.priceCacheMiss" },
  { field: "output", label: "costs.priceOutput" },
] as const;

/** Grouped by vendor (DeepSeek first: it is the one compared against), then by output price. */
export function byVendor(rows: readonly PriceRow[]): PriceRow[] {
  const rank = (vendor: string) => (vendor.toLowerCase() === "deepseek" ? 0 : 1);
  return [...rows].sort(
    (left, right) =>
      rank(left.vendor) - rank(right.vendor) ||
      left.vendor.localeCompare(right.vendor) ||
      dollars(left.output) - dollars(right.output),
  );
}

/** The catalog's prices as grouped bars per model, with a vendor filter and a log-scale switch. */
export function PriceChart({ prices }: { prices: readonly PriceRow[] }) {
  const [logScale, setLogScale] = useState(true);
  const vendors = useMemo(() => [...new Set(byVendor(prices).map((row) => row.vendor))], [prices]);
  const [hidden, setHidden] = useState<ReadonlySet<string>>(new Set());
  const rows = useMemo(() => byVendor(prices).filter((row) => !hidden.has(row.vendor)), [prices, hidden]);
  const config = useMemo((): ChartConfiguration<"bar"> => {
    // A log axis cannot show 0: a free price is left out of the drawing (the table still lists it).
    const value = (amount: string) => (logScale && dollars(amount) <= 0 ? null : dollars(amount));
    return {
      type: "bar",
      data: {
        labels: rows.map((row) => `${row.model} · ${row.vendor}`),
        datasets: priceKinds.map((kind, index) => ({
          label: t(kind.label),
          data: rows.map((row) => value(row[kind.field])),
          ...barColours(index),
        })),
      },
      options: {
        indexAxis: "y",
        scales: {
          x: logScale
            ? logUsdAxis(t("costs.perMillion"))
            : {
                type: "linear",
                beginAtZero: true,
                ticks: { callback: usdTick },
                title: { display: true, text: t("costs.perMillion") },
              },
        },
        plugins: {
          tooltip: {
            callbacks: {
              label: (item) => {
                const row = rows[item.dataIndex]!;
                const kind = priceKinds[item.datasetIndex]!;
                return `${t(kind.label)}: ${formatUsd(row[kind.field])} / 1M`;
              },
            },
          },
        },
      },
    };
  }, [rows, logScale]);
  const table = {
    columns: [t("charts.model"), t("costs.vendor"), ...priceKinds.map((kind) => t(kind.label))],
    numeric: [2, 3, 4],
    rows: rows.map((row) => [row.model, row.vendor, ...priceKinds.map((kind) => formatUsd(row[kind.field]))]),
  };
  return (
    <div>
      <div class="chart-controls">
        <label class="inline-control">
          <input type="checkbox" checked={logScale} onChange={(event) => setLogScale(event.currentTarget.checked)} />
          {t("costs.logScale")}
        </label>
        <fieldset class="vendor-filter">
          <legend>{t("costs.vendors")}</legend>
          {vendors.map((vendor) => (
            <label class="inline-control" key={vendor}>
              <input
                type="checkbox"
                checked={!hidden.has(vendor)}
                onChange={(event) => {
                  const next = new Set(hidden);
                  if (event.currentTarget.checked) next.delete(vendor);
                  else next.add(vendor);
                  setHidden(next);
                }}
              />
              {vendor}
            </label>
          ))}
        </fieldset>
      </div>
      <ChartCanvas
        config={config}
        table={table}
        label={t("costs.pricesLabel")}
        height={`${Math.max(240, rows.length * 40 + 90)}px`}
      />
    </div>
  );
}
