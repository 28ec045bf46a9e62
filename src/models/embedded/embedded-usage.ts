import type { LanguageModelV3FinishReason, LanguageModelV3Usage } from "@ai-sdk/provider";

export interface TokenCounts {
  /** Tokens of the whole rendered prompt. */
  promptTokens: number;
  /** Leading prompt tokens already in the context from the previous call, which llama.cpp did not evaluate again. */
  reusedPromptTokens: number;
  generatedTokens: number;
  reasoningTokens: number;
}

/** Usage in the AI SDK's shape; reused context counts as a cache read, and nothing is ever a cache write. */
export function embeddedUsage(counts: TokenCounts): LanguageModelV3Usage {
  const cacheRead = Math.min(counts.promptTokens, Math.max(0, counts.reusedPromptTokens));
  return {
    inputTokens: {
      total: counts.promptTokens,
      noCache: counts.promptTokens - cacheRead,
      cacheRead,
      cacheWrite: 0,
    },
    outputTokens: {
      total: counts.generatedTokens,
      text: counts.generatedTokens - counts.reasoningTokens,
      reasoning: counts.reasoningTokens,
    },
  };
}

/** node-llama-cpp's stop reason in the AI SDK's terms. */
export function finishReasonOf(stopReason: string, calledTool: boolean): LanguageModelV3FinishReason {
  if (calledTool) return { unified: "tool-calls", raw: stopReason };
  switch (stopReason) {
    case "maxTokens":
      return { unified: "length", raw: stopReason };
    case "eogToken":
    case "stopGenerationTrigger":
    case "customStopTrigger":
      return { unified: "stop", raw: stopReason };
    default:
      return { unified: "other", raw: stopReason };
  }
}
