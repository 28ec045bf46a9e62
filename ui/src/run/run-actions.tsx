import { useState } from "preact/hooks";
import { postJson } from "../api.ts";
import type { RunObject } from "../api-types.ts";
import { t } from "../i18n.ts";
import { ApprovalCard, type ApprovalDecision } from "./approval-card.tsx";
import { canCancel, canResume } from "./run-states.ts";

/** Cancel, resume and the waiting approvals; each action posts, then the page fetches the run again. */
export function RunActions({ run, onDone }: { run: RunObject; onDone: () => void }) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | undefined>();
  const act = async (path: string, body: unknown = {}) => {
    setBusy(true);
    setError(undefined);
    try {
      await postJson(`/runs/${encodeURIComponent(run.id)}/${path}`, body);
    } catch (failure) {
      setError((failure as Error).message);
    } finally {
      setBusy(false);
      onDone();
    }
  };
  const approvals = run.pending_approvals;
  if (!canCancel(run.status) && !canResume(run.status) && approvals.length === 0 && !error) return null;
  return (
    <section class="run-actions" aria-labelledby="actions-title">
      <h2 id="actions-title">{t("run.actions")}</h2>
      {error ? (
        <p role="alert" class="error-text">
          {t("run.actionFailed", { message: error })}
        </p>
      ) : null}
      {approvals.map((call) => (
        <ApprovalCard
          key={call.call_id}
          call={call}
          busy={busy}
          onDecide={(decision: ApprovalDecision) => void act("approve", decision)}
        />
      ))}
      <div class="actions">
        {canCancel(run.status) ? (
          <button type="button" class="danger" disabled={busy} onClick={() => void act("cancel")}>
            {t("run.cancel")}
          </button>
        ) : null}
        {canResume(run.status) ? (
          <button type="button" disabled={busy} onClick={() => void act("resume")}>
            {t("run.resume")}
          </button>
        ) : null}
      </div>
    </section>
  );
}
