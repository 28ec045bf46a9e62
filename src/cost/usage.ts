/** Token counts of one model call, normalised across providers. All counts are whole tokens. */
export interface TokenUsage {
  /** Every prompt token, cached or not (DeepSeek `prompt_tokens`, Anthropic input + cache read + cache write). */
  inputTokens: number;
  /** Prompt tokens served from the provider's prefix cache. */
  cacheHitTokens: number;
  /** Prompt tokens billed at the full input price. */
  cacheMissTokens: number;
  /** Prompt tokens written to the cache at a separate rate (Anthropic only; zero elsewhere). */
  cacheWriteTokens: number;
  /** Every generated token, reasoning included. */
  outputTokens: number;
  /** The part of outputTokens spent on reasoning (billed as output). */
  reasoningTokens: number;
}

export const emptyUsage = (): TokenUsage => ({
  inputTokens: 0,
  cacheHitTokens: 0,
  cacheMissTokens: 0,
  cacheWriteTokens: 0,
  outputTokens: 0,
  reasoningTokens: 0,
});

export function addUsage(left: TokenUsage, right: TokenUsage): TokenUsage {
  return {
    inputTokens: left.inputTokens + right.inputTokens,
    cacheHitTokens: left.cacheHitTokens + right.cacheHitTokens,
    cacheMissTokens: left.cacheMissTokens + right.cacheMissTokens,
    cacheWriteTokens: left.cacheWriteTokens + right.cacheWriteTokens,
    outputTokens: left.outputTokens + right.outputTokens,
    reasoningTokens: left.reasoningTokens + right.reasoningTokens,
  };
}
