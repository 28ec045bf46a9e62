import type { LanguageModelV3CallOptions, LanguageModelV3Prompt } from "@ai-sdk/provider";

// Chat templates add a few special tokens around each message.
const tokensPerMessageOverhead = 16;

/**
 * An upper bound on the prompt's tokens: a BPE token covers at least one byte of text, so UTF-8 bytes bound the
 * count. When the last call's real prompt and output token counts are known, only the new messages are estimated.
 */
export function promptTokenUpperBound(
  prompt: LanguageModelV3Prompt,
  tools: LanguageModelV3CallOptions["tools"],
  known?: { messageCount: number; tokens: number },
): number {
  const from = known ? known.messageCount : 0;
  let bytes = known || !tools ? 0 : Buffer.byteLength(JSON.stringify(tools));
  for (const message of prompt.slice(from)) {
    bytes += Buffer.byteLength(JSON.stringify(message.content)) + tokensPerMessageOverhead;
  }
  return (known?.tokens ?? 0) + bytes;
}
