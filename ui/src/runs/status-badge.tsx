import type { RunStatus } from "../api-types.ts";
import { t } from "../i18n.ts";

/** A run's status as a word in its colour (the word carries the meaning; the colour only helps). */
export function StatusBadge({ status }: { status: RunStatus }) {
  return <span class={`status status-badge status-${status}`}>{t(`status.${status}`)}</span>;
}
