import type { PendingApproval } from "../api-types.ts";
import { t } from "../i18n.ts";
import { FoldedText } from "./folded-text.tsx";
import { prettyJson } from "./pretty-json.ts";

export interface ApprovalDecision {
  approve: boolean;
  always?: boolean;
  call_id: string;
}

/** A tool call waiting for a person: what it would run, and the three answers. */
export function ApprovalCard(props: {
  call: PendingApproval;
  busy: boolean;
  onDecide: (decision: ApprovalDecision) => void;
}) {
  const { call } = props;
  const titleId = `approval-${call.call_id}`;
  return (
    <section class="approval" aria-labelledby={titleId}>
      <h3 id={titleId}>
        {t("run.approvalFor")} <code>{call.tool}</code>
      </h3>
      {call.interrupted ? <p class="muted">{t("run.approvalInterrupted")}</p> : null}
      <FoldedText label={t("run.argumentsLabel")} text={prettyJson(call.input)} />
      <div class="actions">
        <button
          type="button"
          disabled={props.busy}
          onClick={() => props.onDecide({ approve: true, call_id: call.call_id })}
        >
          {t("run.approve")}
        </button>
        <button
          type="button"
          class="secondary"
          disabled={props.busy}
          onClick={() => props.onDecide({ approve: true, always: true, call_id: call.call_id })}
        >
          {t("run.alwaysAllow", { tool: call.tool })}
        </button>
        <button
          type="button"
          class="danger"
          disabled={props.busy}
          onClick={() => props.onDecide({ approve: false, call_id: call.call_id })}
        >
          {t("run.deny")}
        </button>
      </div>
    </section>
  );
}
