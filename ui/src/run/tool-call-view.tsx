import type { StepToolCall } from "../api-types.ts";
import { t } from "../i18n.ts";
import { FoldedText } from "./folded-text.tsx";
import { prettyJson } from "./pretty-json.ts";

/** One tool call: its name and status, the arguments as indented JSON, and the result (folded when long). */
export function ToolCallView({ call }: { call: StepToolCall }) {
  return (
    <div class={call.is_error ? "tool-call tool-error" : "tool-call"}>
      <p class="tool-title">
        <code>{call.tool}</code> <span class="muted">{t(`toolStatus.${call.status}`)}</span>
        {call.is_error ? <span class="mark mark-error">{t("run.toolError")}</span> : null}
      </p>
      <FoldedText label={t("run.argumentsLabel")} text={prettyJson(call.input)} />
      {call.output !== null ? (
        <FoldedText label={t("run.result")} text={call.output} />
      ) : (
        <p class="muted">{t("run.noResult")}</p>
      )}
      {call.image_count > 0 ? <p class="muted">{t("run.images", { count: call.image_count })}</p> : null}
    </div>
  );
}
