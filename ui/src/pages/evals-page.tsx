import { ApiError } from "../api.ts";
import type { EvalSummaryRow, List } from "../api-types.ts";
import { EvalTable } from "../evals/eval-table.tsx";
import { PassCostChart } from "../evals/pass-cost-chart.tsx";
import { t } from "../i18n.ts";
import { useJson } from "../use-json.ts";

function bySuite(rows: readonly EvalSummaryRow[]): Array<[string, EvalSummaryRow[]]> {
  const groups = new Map<string, EvalSummaryRow[]>();
  for (const row of rows) groups.set(row.suite, [...(groups.get(row.suite) ?? []), row]);
  return [...groups.entries()].sort(([left], [right]) => left.localeCompare(right));
}

/** Eval summaries and pass rate against cost. */
export function EvalsPage() {
  const evals = useJson<List<EvalSummaryRow>>("/evals");
  const heading = <h1>{t("nav.evals")}</h1>;
  if (evals.error) {
    const forbidden = evals.error instanceof ApiError && evals.error.status === 403;
    return (
      <>
        {heading}
        <p class="load-error" role="alert">
          {forbidden ? t("evals.forbidden") : t("common.error", { message: evals.error.message })}
        </p>
      </>
    );
  }
  if (!evals.data) {
    return (
      <>
        {heading}
        <p class="muted">{t("common.loading")}</p>
      </>
    );
  }
  const rows = evals.data.data;
  if (rows.length === 0) {
    return (
      <>
        {heading}
        <p>{t("evals.empty")}</p>
        <pre>{"tansuo ui --evals <dir>"}</pre>
      </>
    );
  }
  // Reference runs replay the known answers: they score 100% at no cost and would only crowd the chart.
  const charted = bySuite(rows.filter((row) => !row.reference));
  return (
    <>
      {heading}
      <section aria-labelledby="evals-table-title">
        <h2 id="evals-table-title">{t("evals.tableTitle")}</h2>
        <EvalTable rows={rows} />
      </section>
      <section aria-labelledby="evals-chart-title">
        <h2 id="evals-chart-title">{t("evals.chartTitle")}</h2>
        <div class="chart-grid">
          {charted.map(([suite, suiteRows]) => (
            <div key={suite}>
              <PassCostChart suite={suite} rows={suiteRows} />
            </div>
          ))}
        </div>
      </section>
    </>
  );
}
