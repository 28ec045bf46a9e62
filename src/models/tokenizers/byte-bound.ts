import type { LanguageModelV3CallOptions, LanguageModelV3Prompt } from "@ai-sdk/provider";

// Chat templates add a few special tokens around each message.
const tokensPerMessageOverhead = 16;
// What one image may cost, whatever its bytes: providers resize images to a bounded token count (OpenAI under 1.5k,
// Claude about 1.6k, Qwen-VL at most 16k); its base64 would overstate a photo by thousands of times.
export const imageTokenUpperBound = 20_000;

/** The content's JSON with each image's bytes left out, and how many images there were. */
function contentWithoutImages(content: unknown): { counted: string; images: number } {
  let images = 0;
  const counted = JSON.stringify(content, (_key, value) => {
    if (value && typeof value === "object" && (value.type === "file" || value.type === "image-data")) {
      images += 1;
      return { type: value.type, mediaType: value.mediaType };
    }
    return value;
  });
  return { counted, images };
}

/**
 * An upper bound on the prompt's tokens for a model without a tokenizer: a BPE token covers at least one byte of
 * text, so UTF-8 bytes bound the count. The tools are counted unless `withTools` is false.
 */
export function promptByteBound(
  prompt: LanguageModelV3Prompt,
  tools: LanguageModelV3CallOptions["tools"],
  withTools = true,
): number {
  let bytes = !withTools || !tools ? 0 : Buffer.byteLength(JSON.stringify(tools));
  for (const message of prompt) {
    const { counted, images } = contentWithoutImages(message.content);
    bytes += Buffer.byteLength(counted) + images * imageTokenUpperBound + tokensPerMessageOverhead;
  }
  return bytes;
}
