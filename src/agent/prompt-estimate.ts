import type { LanguageModelV3CallOptions, LanguageModelV3Prompt } from "@ai-sdk/provider";
import { promptByteBound } from "../models/tokenizers/byte-bound.ts";
import { type PromptCounting, promptTokenBound } from "../models/tokenizers/prompt-tokens.ts";

export { imageTokenUpperBound } from "../models/tokenizers/byte-bound.ts";

/**
 * An upper bound on the prompt's tokens. With the model's tokenizer (`counting`), its count plus a small margin;
 * without one, UTF-8 bytes (a BPE token covers at least one byte of text). When the last call's real prompt and
 * output token counts are known, only the new messages are estimated, on top.
 */
export function promptTokenUpperBound(
  prompt: LanguageModelV3Prompt,
  tools: LanguageModelV3CallOptions["tools"],
  known?: { messageCount: number; tokens: number },
  counting?: PromptCounting,
): number {
  if (counting) return promptTokenBound(counting.tokenizer, counting.entry, prompt, tools, known);
  if (!known) return promptByteBound(prompt, tools);
  return known.tokens + promptByteBound(prompt.slice(known.messageCount), tools, false);
}
