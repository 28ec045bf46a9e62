import type { LanguageModelV3CallOptions } from "@ai-sdk/provider";
import { promptTokenUpperBound as promptTokenBound } from "../agent/prompt-estimate.ts";
import { type StreamedOutput, upperBoundUsage } from "../cost/estimated-usage.ts";
import type { TokenUsage } from "../cost/usage.ts";

export { nothingStreamed } from "../cost/estimated-usage.ts";

/** The same prompt bound the agent loop's budget gate uses: UTF-8 bytes of messages and tools. */
export const promptTokenUpperBound = (options: LanguageModelV3CallOptions): number =>
  promptTokenBound(options.prompt, options.tools);

/**
 * Usage for a call whose real usage never came (the client left mid-stream and the upstream was stopped, or the
 * stream broke off): the agent's rule, so the CLI and the gateway bill an interrupted answer alike.
 */
export const estimatedUsage = (options: LanguageModelV3CallOptions, streamed: StreamedOutput): TokenUsage =>
  upperBoundUsage(promptTokenUpperBound(options), streamed, options.maxOutputTokens);
