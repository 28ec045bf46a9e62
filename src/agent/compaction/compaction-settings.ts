import type { CompactionSettings } from "../../store/records.ts";

/** The contract's defaults (issue 14): compact past 0.8 of the window or a call worth 0.25 of the budget left. */
export const defaultWindowShare = 0.8;
export const defaultBudgetShare = 0.25;
/** The latest steps always kept verbatim: the model's working memory. */
export const keepRecentSteps = 4;
/** What the summariser is asked to stay within, as a share of the tokens it summarises. */
export const summaryRatio = 0.1;

export const compactionSettingsOf = (settings: CompactionSettings | undefined) => ({
  model: settings?.model,
  windowShare: settings?.windowShare ?? defaultWindowShare,
  budgetShare: settings?.budgetShare ?? defaultBudgetShare,
});

export const summaryInstruction =
  "Summarise the conversation so far for your own later use, in at most a tenth of its length: the task's state, " +
  "decisions, findings (names, paths, numbers, errors), what was tried and failed, and what is left to do. " +
  "Do not call tools; answer with the summary only.";
