import { expectedSpendUsd, type SpendParameters, summaryTokensOf } from "./expected-spend.ts";

/** One prompt message and its token count; `step` is the run step it belongs to (none: system, task, a summary). */
export interface PlannedMessage {
  tokens: number;
  step?: number;
}

export interface CompactionPlanInput extends Omit<SpendParameters, "promptLimit" | "recentTokensKept"> {
  messages: readonly PlannedMessage[];
  contextWindow: number;
  /** Compact when the next prompt would pass this share of the window (`compaction.windowShare`). */
  windowShare: number;
  /** Steps the run is still expected to take. */
  remainingSteps: number;
  /** The latest steps that always stay verbatim (the model's working memory). */
  keepRecentSteps: number;
  /** Compact even when the prompt fits (the next call's worst case passed `compaction.budgetShare`). */
  force?: boolean;
}

export interface CompactionPlan {
  /** Steps up to and including this one are replaced by the summary. */
  throughStep: number;
  /** Messages [fromMessage, toMessage) are compacted; those before stay verbatim (the cached prefix). */
  fromMessage: number;
  toMessage: number;
  compactedTokens: number;
  summaryTokens: number;
  tokensBefore: number;
  tokensAfter: number;
  expectedUsd: number;
  /** The same steps' expected spend without compacting now. */
  withoutUsd: number;
}

/**
 * The cut that minimises expected spend: every step boundary that keeps `keepRecentSteps` verbatim is priced by
 * the cost model (expected-spend.ts) over the remaining steps, against not compacting now. Undefined when not
 * compacting is cheapest and the prompt still fits (or there is nothing to compact).
 */
export function planCompaction(input: CompactionPlanInput): CompactionPlan | undefined {
  const { messages } = input;
  const fromMessage = messages.findIndex((message) => message.step !== undefined);
  if (fromMessage === -1) return undefined;
  const total = messages.reduce((sum, message) => sum + message.tokens, 0);
  const pinnedTokens = messages.slice(0, fromMessage).reduce((sum, message) => sum + message.tokens, 0);
  const stepsInPrompt = [...new Set(messages.slice(fromMessage).map((message) => message.step!))];
  const promptLimit = Math.floor(input.contextWindow * input.windowShare);
  const recentSteps = stepsInPrompt.slice(-input.keepRecentSteps);
  const recentTokensKept = messages
    .filter((message) => message.step !== undefined && recentSteps.includes(message.step))
    .reduce((sum, message) => sum + message.tokens, 0);
  const parameters: SpendParameters = { ...input, promptLimit, recentTokensKept };
  const horizon = Math.max(1, input.remainingSteps);
  const withoutUsd = expectedSpendUsd(
    { pinnedTokens, compactableTokens: 0, recentTokens: total - pinnedTokens },
    false,
    horizon,
    parameters,
  );
  const mustCompact = input.force === true || total + input.growthPerStep > promptLimit;
  let best: CompactionPlan | undefined;
  let deepest: CompactionPlan | undefined;
  let compactedTokens = 0;
  for (let index = fromMessage; index < messages.length; index++) {
    compactedTokens += messages[index]!.tokens;
    const step = messages[index]!.step!;
    const boundary = index + 1 === messages.length || messages[index + 1]!.step !== step;
    if (!boundary) continue;
    const kept = stepsInPrompt.length - (stepsInPrompt.indexOf(step) + 1);
    if (kept < input.keepRecentSteps) break;
    const shape = {
      pinnedTokens,
      compactableTokens: compactedTokens,
      recentTokens: total - pinnedTokens - compactedTokens,
    };
    const expectedUsd = expectedSpendUsd(shape, true, horizon, parameters);
    const summaryTokens = summaryTokensOf(compactedTokens, input.summaryRatio);
    const tokensAfter = total - compactedTokens + summaryTokens;
    const candidate: CompactionPlan = {
      throughStep: step,
      fromMessage,
      toMessage: index + 1,
      compactedTokens,
      summaryTokens,
      tokensBefore: total,
      tokensAfter,
      expectedUsd,
      withoutUsd,
    };
    deepest = candidate;
    // A cut that leaves the next prompt past the limit only brings the next compaction forward: not a candidate.
    if (tokensAfter + input.growthPerStep > promptLimit) continue;
    // Ties go to the later cut: it leaves more of the run verbatim for the same money.
    if (!best || expectedUsd <= best.expectedUsd) best = candidate;
  }
  // None fits the limit: the deepest cut allowed is the best there is.
  if (!best && mustCompact) best = deepest;
  if (!best) return undefined;
  return mustCompact || best.expectedUsd < withoutUsd ? best : undefined;
}
