import { useState } from "preact/hooks";
import type { PriceRow } from "../api-types.ts";
import { dollars } from "../charts/axis-format.ts";
import { formatUsd } from "../format.ts";
import { t } from "../i18n.ts";
import { byVendor, priceKinds } from "./price-chart.tsx";

type SortField = "model" | "vendor" | "provider" | (typeof priceKinds)[number]["field"];

const columns: ReadonlyArray<{ field: SortField; label: string; numeric: boolean }> = [
  { field: "vendor", label: "costs.vendor", numeric: false },
  { field: "model", label: "charts.model", numeric: false },
  { field: "provider", label: "charts.provider", numeric: false },
  ...priceKinds.map((kind) => ({ field: kind.field, label: kind.label, numeric: true })),
];

/** The catalog's prices as a table sorted by any column (a header button flips the direction). */
export function PriceTable({ prices }: { prices: readonly PriceRow[] }) {
  const [sort, setSort] = useState<{ field: SortField; ascending: boolean } | undefined>(undefined);
  const rows = sort
    ? [...prices].sort((left, right) => {
        const column = columns.find((entry) => entry.field === sort.field)!;
        const order = column.numeric
          ? dollars(left[sort.field]) - dollars(right[sort.field])
          : left[sort.field].localeCompare(right[sort.field]);
        return sort.ascending ? order : -order;
      })
    : byVendor(prices);
  return (
    <div class="table-scroll">
      <table class="price-table">
        <caption class="visually-hidden">{t("costs.pricesTable")}</caption>
        <thead>
          <tr>
            {columns.map((column) => {
              const sorted = sort?.field === column.field;
              return (
                <th
                  scope="col"
                  key={column.field}
                  class={column.numeric ? "number" : undefined}
                  aria-sort={sorted ? (sort.ascending ? "ascending" : "descending") : "none"}
                >
                  <button
                    type="button"
                    class="sort"
                    onClick={() => setSort({ field: column.field, ascending: sorted ? !sort.ascending : true })}
                  >
                    {t(column.label)}
                    <span aria-hidden="true">{sorted ? (sort.ascending ? " ▲" : " ▼") : " ↕"}</span>
                  </button>
                </th>
              );
            })}
          </tr>
        </thead>
        <tbody>
          {rows.map((row) => (
            <tr key={`${row.provider}/${row.model}`}>
              <td>{row.vendor}</td>
              <th scope="row">{row.model}</th>
              <td>{row.provider}</td>
              {priceKinds.map((kind) => (
                <td class="number" key={kind.field}>
                  {formatUsd(row[kind.field])}
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
