import type { LanguageModelV3FunctionTool, LanguageModelV3Prompt } from "@ai-sdk/provider";
import type { ModelEntry } from "../model-entry.ts";

export interface PromptTokenCount {
  tokens: number;
  exact: boolean;
  tokenizer?: string;
}

// Placeholder until the tokenizers land (issue 16, Q4): the byte bound, the same rule as agent/prompt-estimate.ts
// (models/ may not import agent/). Chat templates add a few special tokens around each message.
const tokensPerMessageOverhead = 16;
const imageTokenUpperBound = 20_000;

/** The prompt's tokens (messages and tools) for this model with its family's tokenizer; else the byte bound (exact: false). */
export async function countPromptTokens(
  _entry: ModelEntry,
  prompt: LanguageModelV3Prompt,
  tools?: readonly LanguageModelV3FunctionTool[],
): Promise<PromptTokenCount> {
  let bytes = tools && tools.length > 0 ? Buffer.byteLength(JSON.stringify(tools)) : 0;
  for (const message of prompt) {
    let images = 0;
    const counted = JSON.stringify(message.content, (_key, value) => {
      if (value && typeof value === "object" && (value.type === "file" || value.type === "image-data")) {
        images += 1;
        return { type: value.type, mediaType: value.mediaType };
      }
      return value;
    });
    bytes += Buffer.byteLength(counted) + images * imageTokenUpperBound + tokensPerMessageOverhead;
  }
  return { tokens: bytes, exact: false };
}
