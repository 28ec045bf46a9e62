import { useState } from "preact/hooks";
import { t } from "../i18n.ts";
import { foldLines } from "./fold-lines.ts";

/** A long output shows its first lines and a button for the rest. */
export function FoldedText({ text, label }: { text: string; label?: string }) {
  const [open, setOpen] = useState(false);
  const folded = foldLines(text);
  return (
    <div class="folded">
      {label ? <p class="fold-label">{label}</p> : null}
      <pre>{open || folded.hiddenLines === 0 ? text : folded.head}</pre>
      {folded.hiddenLines > 0 ? (
        <button type="button" class="link" aria-expanded={open} onClick={() => setOpen(!open)}>
          {open ? t("run.showLess") : t("run.showAll", { count: folded.hiddenLines })}
        </button>
      ) : null}
    </div>
  );
}
