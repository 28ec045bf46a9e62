import type { RunObject } from "../api-types.ts";
import { formatDuration, formatTime, formatTokens, formatUsd } from "../format.ts";
import { t } from "../i18n.ts";
import { StatusBadge } from "../runs/status-badge.tsx";
import { FoldedText } from "./folded-text.tsx";
import { runDuration } from "./run-states.ts";

const headlineLength = 200;
// A task can be a long prompt: the heading takes its first line, the whole text folds below it.
function headline(task: string): string {
  const firstLine = task.split("\n", 1)[0] ?? "";
  return firstLine.length > headlineLength ? `${firstLine.slice(0, headlineLength - 1)}…` : firstLine;
}

/** What the run was asked, where it stands, what it cost, and what it answered (or why it failed). */
export function RunHeader({ run, now }: { run: RunObject; now: number }) {
  const usage = run.usage;
  const facts: [string, string][] = [
    ["run.model", run.model],
    ["run.agent", run.agent ?? t("run.noAgent")],
    ["run.cost", formatUsd(run.cost_usd)],
    ["run.budget", run.budget_usd === null ? t("run.noBudget") : formatUsd(run.budget_usd)],
    ["run.inputTokens", formatTokens(usage.prompt_tokens)],
    ["run.cacheHit", formatTokens(usage.prompt_cache_hit_tokens)],
    ["run.output", formatTokens(usage.completion_tokens)],
    ["run.reasoningTokens", formatTokens(usage.completion_tokens_details.reasoning_tokens)],
    ["run.steps", String(run.step_count)],
    ["run.started", formatTime(run.created_at)],
    ["run.duration", formatDuration(runDuration(run, now))],
  ];
  return (
    <header class="run-header">
      <p class="run-id muted">
        <a href="#/runs">{t("run.back")}</a> · <code>{run.id}</code>
      </p>
      <h1 class="run-task">{headline(run.task)}</h1>
      {headline(run.task) !== run.task ? (
        <details class="full-task">
          <summary>{t("run.fullTask")}</summary>
          <pre>{run.task}</pre>
        </details>
      ) : null}
      <p>
        <StatusBadge status={run.status} />
      </p>
      <dl class="run-facts">
        {facts.map(([key, value]) => (
          <div key={key}>
            <dt>{t(key)}</dt>
            <dd>{value}</dd>
          </div>
        ))}
      </dl>
      {run.error ? (
        <div class="run-error">
          <h2>{t("run.error")}</h2>
          <FoldedText text={run.error} />
        </div>
      ) : null}
      {run.output ? (
        <div class="run-output">
          <h2>{t("run.answer")}</h2>
          <FoldedText text={run.output} />
        </div>
      ) : null}
    </header>
  );
}
