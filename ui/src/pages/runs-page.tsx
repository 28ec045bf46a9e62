import { t } from "../i18n.ts";

/** The runs list: filters, search, live updates. (Being built.) */
export function RunsPage(_props: { query: URLSearchParams }) {
  return <h1>{t("nav.runs")}</h1>;
}
