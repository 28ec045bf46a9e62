import type { LanguageModelV3CallOptions, LanguageModelV3FunctionTool, LanguageModelV3Prompt } from "@ai-sdk/provider";
import type { ModelEntry } from "../model-entry.ts";
import { promptByteBound } from "./byte-bound.ts";
import { imageTokens, type MessageText, messageTexts, wireToolsJson } from "./prompt-text.ts";
import type { PromptTokenizer } from "./prompt-tokenizer.ts";
import { tokenizerFor } from "./tokenizer-registry.ts";

export interface PromptTokenCount {
  tokens: number;
  exact: boolean;
  tokenizer?: string;
}

type Tools = LanguageModelV3CallOptions["tools"] | readonly LanguageModelV3FunctionTool[];
type CountedEntry = Pick<ModelEntry, "id" | "reasoningReplay"> & { tokenizer?: string };

// The margin on a counted prompt: for a provider whose template or tool rendering differs a little from ours
// (a marker more here and there, a reworded tools header).
const marginShare = 0.02;
const marginTokens = 1;

/** The messages as the wire sends them: reasoning only where the model's replay policy sends it back. */
function sentTexts(entry: CountedEntry, prompt: LanguageModelV3Prompt): MessageText[] {
  return messageTexts(prompt).map((message) => {
    const sent =
      entry.reasoningReplay === "all" || (entry.reasoningReplay === "tool-turns" && message.toolCalls.length > 0);
    return sent ? message : { ...message, reasoning: undefined };
  });
}

const withMargin = (tokens: number) => tokens + Math.ceil(tokens * marginShare) + marginTokens;

/** The tokenizer's exact count of the whole prompt (images at their bound). */
function exactCount(
  tokenizer: PromptTokenizer,
  entry: CountedEntry,
  prompt: LanguageModelV3Prompt,
  tools: Tools,
): number {
  const messages = sentTexts(entry, prompt);
  return (
    tokenizer.countPrompt(messages, wireToolsJson(tools as LanguageModelV3CallOptions["tools"])) + imageTokens(messages)
  );
}

/** The prompt's tokens (messages and tools) for this model with its family's tokenizer; else the byte bound (exact: false). */
export async function countPromptTokens(
  entry: CountedEntry,
  prompt: LanguageModelV3Prompt,
  tools?: readonly LanguageModelV3FunctionTool[],
): Promise<PromptTokenCount> {
  const tokenizer = await tokenizerFor(entry);
  if (!tokenizer)
    return { tokens: promptByteBound(prompt, tools as LanguageModelV3CallOptions["tools"]), exact: false };
  return { tokens: exactCount(tokenizer, entry, prompt, tools), exact: true, tokenizer: tokenizer.name };
}

/**
 * An upper bound on the prompt's tokens, for a budget's worst case: the tokenizer's count plus a margin, or the
 * UTF-8 bytes without one. With `known` (the last call's real prompt + output tokens, covering the first
 * `messageCount` messages) only the messages after it are counted, on top.
 */
export function promptTokenBound(
  tokenizer: PromptTokenizer | undefined,
  entry: CountedEntry,
  prompt: LanguageModelV3Prompt,
  tools: Tools,
  known?: { messageCount: number; tokens: number },
): number {
  const bareTools = tools as LanguageModelV3CallOptions["tools"];
  if (!tokenizer) {
    return known
      ? known.tokens + promptByteBound(prompt.slice(known.messageCount), bareTools, false)
      : promptByteBound(prompt, bareTools);
  }
  if (!known) return withMargin(exactCount(tokenizer, entry, prompt, tools));
  const appended = sentTexts(entry, prompt.slice(known.messageCount));
  return known.tokens + withMargin(tokenizer.countAppended(appended) + imageTokens(appended));
}

/** A model's tokenizer ready to count with, synchronously. */
export interface PromptCounting {
  tokenizer: PromptTokenizer;
  entry: CountedEntry;
}

/**
 * The entry's tokenizer, loaded (once per process) so the bound is counted synchronously; undefined when it has
 * none or it could not be loaded: the byte bound is safe then.
 */
export async function promptCountingFor(entry: CountedEntry): Promise<PromptCounting | undefined> {
  const tokenizer = await tokenizerFor(entry).catch((error: unknown) => {
    process.emitWarning(`the ${entry.tokenizer} tokenizer could not be loaded, prompts are bounded by bytes: ${error}`);
    return undefined;
  });
  return tokenizer ? { tokenizer, entry } : undefined;
}
