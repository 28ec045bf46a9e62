import { useState } from "preact/hooks";
import type { Step } from "../api-types.ts";
import { formatTokens, formatUsd } from "../format.ts";
import { t } from "../i18n.ts";
import { ToolCallView } from "./tool-call-view.tsx";

function StepTokens({ step }: { step: Step }) {
  const items: [string, number][] = [
    ["run.cacheHit", step.usage.cache_hit_tokens],
    ["run.cacheMiss", step.usage.cache_miss_tokens],
    ["run.output", step.usage.output_tokens],
    ["run.reasoningTokens", step.usage.reasoning_tokens],
  ];
  return (
    <dl class="step-tokens">
      {items.map(([key, count]) => (
        <div key={key}>
          <dt>{t(key)}</dt>
          <dd>{formatTokens(count)}</dd>
        </div>
      ))}
      <div>
        <dt>{t("run.stepCost")}</dt>
        <dd>{formatUsd(step.cost_usd)}</dd>
      </div>
      <div>
        <dt>{t("run.cumulativeCost")}</dt>
        <dd>{formatUsd(step.cumulative_cost_usd)}</dd>
      </div>
    </dl>
  );
}

/** One step of the timeline, as a native disclosure: its summary line, then reasoning, text, tool calls, tokens. */
export function StepSection({ step, open }: { step: Step; open: boolean }) {
  // Open at first as asked, then the person's choice: a later step arriving does not fold this one.
  const [initiallyOpen] = useState(open);
  const failed = step.tool_calls.some((call) => call.is_error);
  return (
    <details class="step" open={initiallyOpen} id={`step-${step.index}`}>
      <summary>
        <span class="step-name">{t("run.step", { number: step.index + 1 })}</span>
        <span class="muted">{step.model}</span>
        <span>{t("run.toolCount", { count: step.tool_calls.length })}</span>
        <span>{formatUsd(step.cost_usd)}</span>
        {step.estimated ? (
          <span class="mark mark-estimated" title={t("run.estimatedExplain")}>
            {t("run.estimated")}
          </span>
        ) : null}
        {step.discarded ? <span class="mark mark-error">{t("run.discarded")}</span> : null}
        {failed ? <span class="mark mark-error">{t("run.hasErrors")}</span> : null}
        <span class="muted">{t("run.finish", { reason: step.finish_reason })}</span>
      </summary>
      <div class="step-body">
        {step.reasoning ? (
          <details class="reasoning">
            <summary>{t("run.reasoning")}</summary>
            <pre>{step.reasoning}</pre>
          </details>
        ) : null}
        {step.text ? <div class="step-text">{step.text}</div> : null}
        {step.tool_calls.map((call) => (
          <ToolCallView call={call} key={call.call_id} />
        ))}
        <StepTokens step={step} />
      </div>
    </details>
  );
}
