import { ApiError } from "../api.ts";
import { t } from "../i18n.ts";
import type { Loaded } from "../use-json.ts";

/** What to show instead of a chart while its data loads or when it failed; nothing once data is there. */
export function LoadNote({ loaded }: { loaded: Loaded<unknown> }) {
  if (loaded.error) {
    const forbidden = loaded.error instanceof ApiError && loaded.error.status === 403;
    return (
      <p class="load-error" role="alert">
        {forbidden ? t("common.forbidden") : t("common.error", { message: loaded.error.message })}
      </p>
    );
  }
  if (loaded.data === undefined) return <p class="muted">{t("common.loading")}</p>;
  return null;
}
