import type { LanguageModelV3CallOptions } from "@ai-sdk/provider";
import { promptTokenUpperBound as promptTokenBound } from "../agent/prompt-estimate.ts";
import type { TokenUsage } from "../cost/usage.ts";

// DeepSeek documents about 0.3 tokens per English character and 0.6 per Chinese one (3 bytes): 3 bytes per token
// is on the high side for both, so an estimate does not bill less than the upstream likely charged.
const bytesPerTokenEstimate = 3;
const bytesPerOutputTokenEstimate = 4;

/** The same prompt bound the agent loop's budget gate uses: UTF-8 bytes of messages and tools. */
export const promptTokenUpperBound = (options: LanguageModelV3CallOptions): number =>
  promptTokenBound(options.prompt, options.tools);

/**
 * Usage for a call whose real usage never came (the client left mid-stream and the upstream was stopped):
 * the prompt is estimated from its size and counted as all cache miss; the output is what was streamed,
 * at least one token per delta received (DeepSeek sends about one token per delta).
 */
export function estimatedUsage(
  options: LanguageModelV3CallOptions,
  streamed: { outputBytes: number; reasoningBytes: number; deltas: number },
): TokenUsage {
  const inputTokens = Math.ceil(promptTokenUpperBound(options) / bytesPerTokenEstimate);
  const bytes = streamed.outputBytes + streamed.reasoningBytes;
  const outputTokens = Math.max(streamed.deltas, Math.ceil(bytes / bytesPerOutputTokenEstimate));
  const reasoningShare = bytes === 0 ? 0 : streamed.reasoningBytes / bytes;
  return {
    inputTokens,
    cacheHitTokens: 0,
    cacheMissTokens: inputTokens,
    cacheWriteTokens: 0,
    outputTokens,
    reasoningTokens: Math.round(outputTokens * reasoningShare),
  };
}
