import { t } from "../i18n.ts";
import type { LiveStep } from "./live-step.ts";

/** The step being generated now, as its text streams in. */
export function LiveStepView({ live }: { live: LiveStep }) {
  return (
    <section class="step live-step" aria-labelledby="live-step-title">
      <h3 id="live-step-title" class="step-name">
        {t("run.step", { number: live.step + 1 })} · {t("run.generating")}
      </h3>
      {live.reasoning ? (
        <details class="reasoning">
          <summary>{t("run.reasoning")}</summary>
          <pre>{live.reasoning}</pre>
        </details>
      ) : null}
      {live.text ? <div class="step-text">{live.text}</div> : null}
    </section>
  );
}
