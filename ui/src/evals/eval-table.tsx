import type { EvalSummaryRow } from "../api-types.ts";
import { formatPercent, formatTokens, formatUsd } from "../format.ts";
import { t } from "../i18n.ts";

/** Every summary found under the eval folders, one row per suite and model. */
export function EvalTable({ rows }: { rows: readonly EvalSummaryRow[] }) {
  return (
    <div class="table-scroll">
      <table>
        <caption class="visually-hidden">{t("evals.tableTitle")}</caption>
        <thead>
          <tr>
            <th scope="col">{t("evals.suite")}</th>
            <th scope="col">{t("evals.model")}</th>
            <th scope="col">{t("evals.folder")}</th>
            <th scope="col" class="number">
              {t("evals.tasks")}
            </th>
            <th scope="col" class="number">
              pass@1
            </th>
            <th scope="col" class="number">
              {t("evals.cost")}
            </th>
            <th scope="col" class="number">
              {t("evals.costPerTask")}
            </th>
            <th scope="col" class="number">
              {t("evals.costPerSolved")}
            </th>
            <th scope="col">{t("evals.complete")}</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((row) => (
            <tr key={`${row.directory}/${row.suite}/${row.model}`}>
              <td>{row.suite}</td>
              <th scope="row">
                {row.model}
                {row.reference ? <span class="muted"> ({t("evals.reference")})</span> : null}
              </th>
              <td>
                <code>{row.directory}</code>
              </td>
              <td class="number">{formatTokens(row.tasks)}</td>
              <td class="number">{formatPercent(row.pass_at_1)}</td>
              <td class="number">{formatUsd(row.cost_usd)}</td>
              <td class="number">{formatUsd(row.cost_per_task_usd)}</td>
              <td class="number">{formatUsd(row.cost_per_solved_usd)}</td>
              <td>{row.complete ? t("charts.yes") : <span class="warn-text">{t("evals.partial")}</span>}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
