import type { TokenUsage } from "../cost/usage.ts";

/**
 * OpenAI's `usage` object with DeepSeek's cache fields beside it, so clients of either kind read what they know;
 * `cost_usd` is the exact amount the gateway billed (Tansuo's addition).
 */
export function openAiUsage(usage: TokenUsage, costUsd: string) {
  return {
    prompt_tokens: usage.inputTokens,
    completion_tokens: usage.outputTokens,
    total_tokens: usage.inputTokens + usage.outputTokens,
    prompt_tokens_details: { cached_tokens: usage.cacheHitTokens },
    completion_tokens_details: { reasoning_tokens: usage.reasoningTokens },
    prompt_cache_hit_tokens: usage.cacheHitTokens,
    prompt_cache_miss_tokens: usage.inputTokens - usage.cacheHitTokens,
    cost_usd: costUsd,
  };
}

export type OpenAiUsage = ReturnType<typeof openAiUsage>;
