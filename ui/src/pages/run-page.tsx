import type { PricedList, RunObject, StepList } from "../api-types.ts";
import { RunCharts } from "../charts/run-charts.tsx";
import { formatTime } from "../format.ts";
import { t } from "../i18n.ts";
import { LiveStepView } from "../run/live-step-view.tsx";
import { RunActions } from "../run/run-actions.tsx";
import { RunHeader } from "../run/run-header.tsx";
import { isLive } from "../run/run-states.ts";
import { StepSection } from "../run/step-section.tsx";
import { timelineItems } from "../run/timeline-items.ts";
import { useRunEvents } from "../run/use-run-events.ts";
import { LiveIndicator } from "../runs/live-indicator.tsx";
import { useNow } from "../runs/use-now.ts";
import { useJson } from "../use-json.ts";

/** One run: its header and actions, its pictures, and the timeline of steps, live while it works. */
export function RunPage({ runId }: { runId: string }) {
  // Keyed by run, so another run's page starts fresh (no folded state or data carried over).
  return <RunView key={runId} runId={runId} />;
}

function RunView({ runId }: { runId: string }) {
  const base = `/runs/${encodeURIComponent(runId)}`;
  const steps = useJson<StepList>(`${base}/steps`);
  const priced = useJson<PricedList>(`${base}/priced`);
  // GET /runs/:id is the run with its waiting tool calls (pending_approvals) for certain.
  const current = useJson<RunObject>(base);
  const run = current.data ?? steps.data?.run;
  const reload = () => {
    current.reload();
    steps.reload();
    priced.reload();
  };
  const working = run ? isLive(run.status) : false;
  const now = useNow(working);
  const events = useRunEvents(runId, working, reload);

  if (!steps.data) {
    return steps.error ? (
      <p role="alert" class="error-text">
        {t("common.error", { message: steps.error.message })}
      </p>
    ) : (
      <p>{t("common.loading")}</p>
    );
  }
  const { data: stepList, messages } = steps.data;
  const lastIndex = stepList[stepList.length - 1]?.index;
  const items = timelineItems(stepList, messages);
  const streaming = events.live && (lastIndex === undefined || events.live.step > lastIndex) ? events.live : undefined;
  return (
    <article class="run-page">
      {run ? <RunHeader run={run} now={now} /> : null}
      {working ? <LiveIndicator live={events.connected} /> : null}
      {run ? <RunActions run={run} onDone={reload} /> : null}
      <RunCharts steps={stepList} priced={priced.data} />
      <section aria-labelledby="timeline-title">
        <h2 id="timeline-title">{t("run.timeline", { count: stepList.length })}</h2>
        {items.length === 0 && !streaming ? <p class="muted">{t("run.noSteps")}</p> : null}
        <ol class="timeline">
          {items.map((item) =>
            item.kind === "step" ? (
              <li key={`step-${item.step.index}`}>
                <StepSection step={item.step} open={stepList.length <= 3 || item.step.index === lastIndex} />
              </li>
            ) : (
              <li key={`message-${item.message.index}`} class="follow-up">
                <p class="follow-up-title">
                  {t("run.followUp")} <span class="muted">{formatTime(item.message.created_at)}</span>
                </p>
                <div class="step-text">{item.message.content}</div>
              </li>
            ),
          )}
          {streaming ? (
            <li>
              <LiveStepView live={streaming} />
            </li>
          ) : null}
        </ol>
      </section>
    </article>
  );
}
