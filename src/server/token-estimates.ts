import type { LanguageModelV3CallOptions } from "@ai-sdk/provider";
import { promptTokenUpperBound as promptTokenBound } from "../agent/prompt-estimate.ts";
import { type StreamedOutput, upperBoundUsage } from "../cost/estimated-usage.ts";
import type { TokenUsage } from "../cost/usage.ts";
import type { PromptCounting } from "../models/tokenizers/prompt-tokens.ts";

export { nothingStreamed } from "../cost/estimated-usage.ts";

/** The same prompt bound the agent loop's budget gate uses: the model's tokenizer, or UTF-8 bytes without one. */
export const promptTokenUpperBound = (options: LanguageModelV3CallOptions, counting?: PromptCounting): number =>
  promptTokenBound(options.prompt, options.tools, undefined, counting);

/**
 * Usage for a call whose real usage never came (the client left mid-stream and the upstream was stopped, or the
 * stream broke off): the agent's rule, so the CLI and the gateway bill an interrupted answer alike.
 */
export const estimatedUsage = (
  options: LanguageModelV3CallOptions,
  streamed: StreamedOutput,
  counting?: PromptCounting,
): TokenUsage => upperBoundUsage(promptTokenUpperBound(options, counting), streamed, options.maxOutputTokens);
