import type {
  LanguageModelV3Content,
  LanguageModelV3FinishReason,
  LanguageModelV3GenerateResult,
  LanguageModelV3StreamPart,
  LanguageModelV3Usage,
  SharedV3ProviderMetadata,
  SharedV3Warning,
} from "@ai-sdk/provider";
import { InternalError } from "../../errors/internal-error.ts";

/** A whole generate result read from a stream; an error part is thrown. */
export async function collectStream(
  stream: ReadableStream<LanguageModelV3StreamPart>,
): Promise<LanguageModelV3GenerateResult> {
  const content: LanguageModelV3Content[] = [];
  let warnings: SharedV3Warning[] = [];
  let finishReason: LanguageModelV3FinishReason | undefined;
  let providerMetadata: SharedV3ProviderMetadata | undefined;
  let usage: LanguageModelV3Usage | undefined;
  const append = (type: "text" | "reasoning", delta: string) => {
    const last = content.at(-1);
    if (last?.type === type) last.text += delta;
    else content.push({ type, text: delta });
  };
  const reader = stream.getReader();
  try {
    while (true) {
      const { value: part, done } = await reader.read();
      if (done) break;
      if (part.type === "stream-start") warnings = part.warnings;
      else if (part.type === "text-delta") append("text", part.delta);
      else if (part.type === "reasoning-delta") append("reasoning", part.delta);
      else if (part.type === "tool-call") content.push(part);
      else if (part.type === "finish") {
        finishReason = part.finishReason;
        providerMetadata = part.providerMetadata;
        usage = part.usage;
      } else if (part.type === "error") throw part.error;
    }
  } finally {
    reader.releaseLock();
  }
  if (!finishReason || !usage) throw new InternalError("The embedded model's stream ended without a finish part");
  return { content, finishReason, usage, warnings, ...(providerMetadata ? { providerMetadata } : {}) };
}
