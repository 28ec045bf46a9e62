import type { List, PriceRow } from "../api-types.ts";
import { LoadNote } from "../charts/load-note.tsx";
import { PriceChart } from "../costs/price-chart.tsx";
import { PriceTable } from "../costs/price-table.tsx";
import { SpendCharts } from "../costs/spend-charts.tsx";
import { t } from "../i18n.ts";
import { useJson } from "../use-json.ts";

/** Spend per day and per model, and the catalog's prices. */
export function CostsPage() {
  const prices = useJson<List<PriceRow>>("/prices");
  return (
    <>
      <h1>{t("nav.costs")}</h1>
      <SpendCharts />
      <section aria-labelledby="prices-title">
        <h2 id="prices-title">{t("costs.pricesTitle")}</h2>
        <p class="muted">{t("costs.pricesExplain")}</p>
        <LoadNote loaded={prices} />
        {prices.data && prices.data.data.length === 0 ? <p class="muted">{t("costs.noPrices")}</p> : null}
        {prices.data && prices.data.data.length > 0 ? (
          <>
            <PriceChart prices={prices.data.data} />
            <h3>{t("costs.pricesTable")}</h3>
            <PriceTable prices={prices.data.data} />
          </>
        ) : null}
      </section>
    </>
  );
}
