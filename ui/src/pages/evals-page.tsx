import { t } from "../i18n.ts";

/** Eval summaries and pass rate against cost. (Being built.) */
export function EvalsPage() {
  return <h1>{t("nav.evals")}</h1>;
}
