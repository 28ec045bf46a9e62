import type { RunObject } from "../api-types.ts";
import { formatDuration, formatTime, formatTokens, formatUsd } from "../format.ts";
import { t } from "../i18n.ts";
import { runHref } from "../router.ts";
import { runDuration } from "../run/run-states.ts";
import { StatusBadge } from "./status-badge.tsx";

const taskLength = 90;
const shortTask = (task: string): string => (task.length > taskLength ? `${task.slice(0, taskLength - 1)}…` : task);

/** The runs, newest first; the task links to the run's page. */
export function RunsTable({ runs, now }: { runs: readonly RunObject[]; now: number }) {
  return (
    <table class="runs-table">
      <caption class="visually-hidden">{t("runs.caption")}</caption>
      <thead>
        <tr>
          <th scope="col">{t("runs.status")}</th>
          <th scope="col">{t("runs.task")}</th>
          <th scope="col">{t("runs.model")}</th>
          <th scope="col" class="number">
            {t("runs.steps")}
          </th>
          <th scope="col" class="number">
            {t("runs.tokens")}
          </th>
          <th scope="col" class="number">
            {t("runs.cost")}
          </th>
          <th scope="col">{t("runs.started")}</th>
          <th scope="col" class="number">
            {t("runs.duration")}
          </th>
        </tr>
      </thead>
      <tbody>
        {runs.map((run) => (
          <tr key={run.id} data-run-id={run.id}>
            <td>
              <StatusBadge status={run.status} />
            </td>
            <td class="task-cell">
              <a href={runHref(run.id)} title={run.task}>
                {shortTask(run.task)}
              </a>
            </td>
            <td>{run.model}</td>
            <td class="number">{run.step_count}</td>
            <td class="number">{formatTokens(run.usage.total_tokens)}</td>
            <td class="number">{formatUsd(run.cost_usd)}</td>
            <td>
              <time dateTime={run.created_at}>{formatTime(run.created_at)}</time>
            </td>
            <td class="number">{formatDuration(runDuration(run, now))}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
