import type { LanguageModelV3Usage } from "@ai-sdk/provider";
import type { TokenUsage } from "../cost/usage.ts";
import { type UsageSemantics, usageFromWire } from "../cost/wire-usage.ts";

/**
 * Normalised usage of one call. The provider's raw usage object is read with its own cache semantics when
 * known; otherwise the AI SDK's split (total, cacheRead, cacheWrite, noCache) is used.
 */
export function usageOf(usage: LanguageModelV3Usage, semantics: UsageSemantics | undefined): TokenUsage {
  if (semantics && usage.raw && typeof usage.raw === "object") return usageFromWire(semantics, usage.raw);
  const cacheHitTokens = usage.inputTokens.cacheRead ?? 0;
  const cacheWriteTokens = usage.inputTokens.cacheWrite ?? 0;
  const inputTokens = usage.inputTokens.total ?? (usage.inputTokens.noCache ?? 0) + cacheHitTokens + cacheWriteTokens;
  return {
    inputTokens,
    cacheHitTokens,
    cacheWriteTokens,
    cacheMissTokens: usage.inputTokens.noCache ?? Math.max(0, inputTokens - cacheHitTokens - cacheWriteTokens),
    outputTokens: usage.outputTokens.total ?? (usage.outputTokens.text ?? 0) + (usage.outputTokens.reasoning ?? 0),
    reasoningTokens: usage.outputTokens.reasoning ?? 0,
  };
}
