import { t } from "../i18n.ts";

/** One run: its timeline, charts and actions. (Being built.) */
export function RunPage({ runId }: { runId: string }) {
  return (
    <h1>
      {t("nav.runs")} {runId}
    </h1>
  );
}
