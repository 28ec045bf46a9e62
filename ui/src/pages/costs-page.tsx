import { t } from "../i18n.ts";

/** Spend per day and per model, and the catalog's prices. (Being built.) */
export function CostsPage() {
  return <h1>{t("nav.costs")}</h1>;
}
