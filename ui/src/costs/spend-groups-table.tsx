import { useState } from "preact/hooks";
import type { SpendList, SpendTotals } from "../api-types.ts";
import { LoadNote } from "../charts/load-note.tsx";
import { formatPercent, formatTokens, formatUsd } from "../format.ts";
import { t } from "../i18n.ts";
import { runHref } from "../router.ts";
import { useJson } from "../use-json.ts";

type Grouping = "run" | "key";

function Cells({ totals }: { totals: SpendTotals }) {
  return (
    <>
      <td class="number">{formatTokens(totals.requests)}</td>
      <td class="number">{formatTokens(totals.cache_hit_tokens)}</td>
      <td class="number">{formatTokens(totals.cache_miss_tokens)}</td>
      <td class="number">{formatTokens(totals.output_tokens)}</td>
      <td class="number">{totals.cache_hit_share === null ? "–" : formatPercent(totals.cache_hit_share)}</td>
      <td class="number">{formatUsd(totals.cost_usd)}</td>
    </>
  );
}

/** `tansuo cost --by run|key` as a table with its total row, over the period the spend charts show. */
export function SpendGroupsTable({ since }: { since: string | undefined }) {
  const [by, setBy] = useState<Grouping>("run");
  const loaded = useJson<SpendList>("/spend", { by, since });
  const rows = loaded.data?.data ?? [];
  return (
    <div>
      <div class="section-head">
        <h3>{t("costs.perGroup")}</h3>
        <label class="inline-control">
          {t("costs.groupBy")}
          <select value={by} onChange={(event) => setBy(event.currentTarget.value as Grouping)}>
            <option value="run">{t("costs.byRun")}</option>
            <option value="key">{t("costs.byKey")}</option>
          </select>
        </label>
      </div>
      <LoadNote loaded={loaded} />
      {loaded.data && rows.length === 0 ? <p class="muted">{t("costs.noSpend")}</p> : null}
      {loaded.data && rows.length > 0 ? (
        <div class="table-scroll">
          <table>
            <caption class="visually-hidden">{t("costs.perGroup")}</caption>
            <thead>
              <tr>
                <th scope="col">{by === "run" ? t("costs.byRun") : t("costs.byKey")}</th>
                <th scope="col" class="number">
                  {t("costs.requests")}
                </th>
                <th scope="col" class="number">
                  {t("costs.cacheHitTokens")}
                </th>
                <th scope="col" class="number">
                  {t("costs.cacheMissTokens")}
                </th>
                <th scope="col" class="number">
                  {t("costs.outputTokens")}
                </th>
                <th scope="col" class="number">
                  {t("costs.cacheHitShare")}
                </th>
                <th scope="col" class="number">
                  {t("costs.cost")}
                </th>
              </tr>
            </thead>
            <tbody>
              {rows.map((row) => {
                const name = (by === "run" ? row.run : row.key) ?? null;
                return (
                  <tr key={name ?? ""}>
                    <th scope="row">
                      {name === null ? (
                        t("costs.noGroup")
                      ) : by === "run" ? (
                        <a href={runHref(name)}>{name}</a>
                      ) : (
                        <code>{name}</code>
                      )}
                    </th>
                    <Cells totals={row} />
                  </tr>
                );
              })}
            </tbody>
            <tfoot>
              <tr>
                <th scope="row">{t("costs.totalRow")}</th>
                <Cells totals={loaded.data.total} />
              </tr>
            </tfoot>
          </table>
        </div>
      ) : null}
    </div>
  );
}
