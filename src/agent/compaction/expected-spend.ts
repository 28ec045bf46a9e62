/**
 * The cost model of compaction (see docs/architecture.md, "Compaction"). A DeepSeek-style prefix cache serves a
 * request's longest prefix already sent, counted in whole cache units from token 0; the rest is a miss. So a prompt
 * that only grows pays each step: hit price x the previous prompt (rounded down to a unit) + miss price x the rest.
 * Compacting steps [from, to) into a summary costs, once: the summarising call (its input is the prompt up to `to`,
 * a prefix of what was just sent, so hits when it shares the model's cache; its output is the summary) and, on the
 * next step, a miss for everything after the pinned prefix (summary + the verbatim tail moved up). In return every
 * later step pays the hit price on a shorter prompt. Output tokens of the run's own steps are the same whatever is
 * compacted, so they are left out. Prices are USD per million tokens, as plain numbers: this plans, it never bills.
 */
export interface TokenPrices {
  cacheHit: number;
  cacheMiss: number;
  output: number;
}

/** The prompt as three runs of tokens: pinned (system, task, earlier summaries), compactable steps, recent steps. */
export interface PromptShape {
  pinnedTokens: number;
  compactableTokens: number;
  recentTokens: number;
}

export interface SpendParameters {
  price: TokenPrices;
  summariserPrice: TokenPrices;
  /** The summariser is the run's model, so the prompt it is sent is already in that model's cache. */
  summariserSharesCache: boolean;
  /** Tokens are cached in whole units from token 0 (DeepSeek: 64). */
  cacheUnitTokens: number;
  /** Summary tokens per compacted token. */
  summaryRatio: number;
  /** The summariser's instruction, sent after the cached prompt (always a miss). */
  instructionTokens: number;
  /** Tokens each future step adds (its answer and tool results). */
  growthPerStep: number;
  /** A prompt above this is compacted again (windowShare x the context window). */
  promptLimit: number;
  /** Steps kept verbatim when the simulation compacts again, as tokens. */
  recentTokensKept: number;
}

const perMillion = 1_000_000;
export const cachedPart = (tokens: number, unit: number) => Math.floor(tokens / unit) * unit;
export const summaryTokensOf = (compacted: number, ratio: number) => Math.ceil(compacted * ratio);

/** The summarising call's cost: the prompt up to the cut as input, the summary as output. */
export function summariserUsd(shape: PromptShape, parameters: SpendParameters): number {
  const { summariserPrice: price, cacheUnitTokens: unit } = parameters;
  const sent = shape.pinnedTokens + shape.compactableTokens;
  const hits = parameters.summariserSharesCache ? cachedPart(sent, unit) : 0;
  const misses = sent - hits + parameters.instructionTokens;
  const output = summaryTokensOf(shape.compactableTokens, parameters.summaryRatio);
  return (hits * price.cacheHit + misses * price.cacheMiss + output * price.output) / perMillion;
}

/**
 * Expected input spend of the next `steps` steps from `shape`, compacting `shape.compactableTokens` now when
 * `compactNow` (else sending it verbatim); whenever a later prompt passes the limit, all but the recent tokens are
 * compacted again (the same rule the runtime applies then).
 */
export function expectedSpendUsd(shape: PromptShape, compactNow: boolean, steps: number, parameters: SpendParameters) {
  const { price, cacheUnitTokens: unit } = parameters;
  let spend = 0;
  let pinned = shape.pinnedTokens;
  let body = shape.compactableTokens + shape.recentTokens;
  // What the provider has cached of this prompt: all of it was sent by the last step.
  let cachedPrefix = pinned + body;
  const compact = (compactable: number) => {
    spend += summariserUsd({ pinnedTokens: pinned, compactableTokens: compactable, recentTokens: 0 }, parameters);
    // Only the old pinned prefix is byte-identical afterwards; the summary joins it (pinned for later compactions).
    cachedPrefix = Math.min(cachedPrefix, pinned);
    pinned += summaryTokensOf(compactable, parameters.summaryRatio);
    body -= compactable;
  };
  if (compactNow && shape.compactableTokens > 0) compact(shape.compactableTokens);
  for (let step = 0; step < steps; step++) {
    body += parameters.growthPerStep;
    if (pinned + body > parameters.promptLimit && body > parameters.recentTokensKept) {
      compact(body - parameters.recentTokensKept);
    }
    const prompt = pinned + body;
    const hits = cachedPart(Math.min(cachedPrefix, prompt), unit);
    spend += (hits * price.cacheHit + (prompt - hits) * price.cacheMiss) / perMillion;
    cachedPrefix = prompt;
  }
  return spend;
}
