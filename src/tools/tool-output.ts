/** An image a tool returned (or a user attached): its media type and its bytes in base64. */
export interface ToolImage {
  mediaType: string;
  base64: string;
}

/** What a tool returns when it has more than text (an image it read, an MCP server's image result). */
export interface ToolOutput {
  text: string;
  images: ToolImage[];
}

/** A tool's result in one shape, whether it returned plain text or text with images. */
export function toToolOutput(result: string | ToolOutput): ToolOutput {
  return typeof result === "string" ? { text: result, images: [] } : { text: result.text, images: result.images };
}

/** The byte count of a base64 payload, without decoding it. */
export function base64ByteLength(base64: string): number {
  const padding = base64.endsWith("==") ? 2 : base64.endsWith("=") ? 1 : 0;
  return Math.max(0, Math.floor((base64.length * 3) / 4) - padding);
}

/** What transcripts and events show instead of an image's bytes: `[image image/png 12 KB]`. */
export function imagePlaceholder(image: ToolImage): string {
  const bytes = base64ByteLength(image.base64);
  const size = bytes < 1024 ? `${bytes} B` : `${Math.round(bytes / 1024)} KB`;
  return `[image ${image.mediaType} ${size}]`;
}
