import type { LanguageModelV3FinishReason } from "@ai-sdk/provider";
import type { TokenUsage } from "../../cost/usage.ts";

/**
 * Anthropic's `usage`: `input_tokens` counts only uncached prompt tokens (cache reads and writes are apart), so
 * DeepSeek's hit tokens are `cache_read_input_tokens` and its miss tokens `input_tokens`. `cost_usd` is the exact
 * amount the gateway billed (Tansuo's addition).
 */
export function anthropicUsage(usage: TokenUsage, costUsd?: string) {
  return {
    input_tokens: usage.inputTokens - usage.cacheHitTokens - usage.cacheWriteTokens,
    cache_read_input_tokens: usage.cacheHitTokens,
    cache_creation_input_tokens: usage.cacheWriteTokens,
    output_tokens: usage.outputTokens,
    ...(costUsd === undefined ? {} : { cost_usd: costUsd }),
  };
}

/** The provider's finish reason in Anthropic's words (the upstream does not say which stop sequence matched). */
export function anthropicStopReason(reason: LanguageModelV3FinishReason): string {
  switch (reason.unified) {
    case "length":
      return "max_tokens";
    case "tool-calls":
      return "tool_use";
    case "content-filter":
      return "refusal";
    default:
      return "end_turn";
  }
}
