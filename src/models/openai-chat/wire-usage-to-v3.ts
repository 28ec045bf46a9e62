import type { LanguageModelV3Usage } from "@ai-sdk/provider";
import type { UsageSemantics } from "../../cost/wire-usage.ts";
import { usageFromWire } from "../../cost/wire-usage.ts";

/** Maps a wire `usage` object to the AI SDK's usage shape, keeping the raw object for exact billing. */
export function wireUsageToV3(raw: unknown, semantics: UsageSemantics): LanguageModelV3Usage {
  if (raw === null || raw === undefined || typeof raw !== "object") {
    return {
      inputTokens: { total: undefined, noCache: undefined, cacheRead: undefined, cacheWrite: undefined },
      outputTokens: { total: undefined, text: undefined, reasoning: undefined },
    };
  }
  const usage = usageFromWire(semantics, raw);
  return {
    inputTokens: {
      total: usage.inputTokens,
      noCache: usage.cacheMissTokens,
      cacheRead: usage.cacheHitTokens,
      cacheWrite: usage.cacheWriteTokens,
    },
    outputTokens: {
      total: usage.outputTokens,
      text: Math.max(0, usage.outputTokens - usage.reasoningTokens),
      reasoning: usage.reasoningTokens,
    },
    raw: raw as LanguageModelV3Usage["raw"],
  };
}
