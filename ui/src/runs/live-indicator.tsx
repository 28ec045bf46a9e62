import { t } from "../i18n.ts";

/** Whether live updates are arriving; a dot and a word, announced politely when it changes. */
export function LiveIndicator({ live }: { live: boolean }) {
  return (
    <span class={live ? "live-indicator live-on" : "live-indicator"} role="status">
      <span class="live-dot" aria-hidden="true" />
      {live ? t("live.on") : t("live.off")}
    </span>
  );
}
