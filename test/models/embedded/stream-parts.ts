import type { LanguageModelV3StreamPart } from "@ai-sdk/provider";

/** Reads every part of a stream. */
export async function readParts(
  stream: ReadableStream<LanguageModelV3StreamPart>,
): Promise<LanguageModelV3StreamPart[]> {
  const parts: LanguageModelV3StreamPart[] = [];
  for await (const part of stream as unknown as AsyncIterable<LanguageModelV3StreamPart>) parts.push(part);
  return parts;
}

/** The parts of one type, typed. */
export function partsOf<Type extends LanguageModelV3StreamPart["type"]>(
  parts: LanguageModelV3StreamPart[],
  type: Type,
): Array<Extract<LanguageModelV3StreamPart, { type: Type }>> {
  return parts.filter((part): part is Extract<LanguageModelV3StreamPart, { type: Type }> => part.type === type);
}
