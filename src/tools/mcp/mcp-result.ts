import type { CallToolResult } from "@modelcontextprotocol/sdk/types.js";
import { checkedImage } from "../images/checked-image.ts";
import type { ToolOutput } from "../tool-output.ts";

type ToolResultWithImages = ToolOutput;

/**
 * An MCP tool result as text and images: text parts joined, resources named by URI (with an embedded text
 * resource's text), images kept as base64. Structured content alone is given as its JSON.
 */
export function convertMcpResult(result: CallToolResult): ToolResultWithImages {
  const parts: string[] = [];
  const images: ToolResultWithImages["images"] = [];
  for (const content of result.content ?? []) {
    if (content.type === "text") parts.push(content.text);
    else if (content.type === "image") images.push({ mediaType: content.mimeType, base64: content.data });
    else if (content.type === "audio") parts.push(`[audio ${content.mimeType}, ${kilobytes(content.data)} KB]`);
    else if (content.type === "resource_link") {
      const about = [content.name, content.description].filter(Boolean).join(": ");
      parts.push(`[resource ${content.uri}${about ? ` (${about})` : ""}]`);
    } else if (content.type === "resource") {
      const resource = content.resource;
      const type = resource.mimeType ? ` ${resource.mimeType}` : "";
      if ("text" in resource && typeof resource.text === "string") {
        parts.push(`[resource ${resource.uri}${type}]\n${resource.text}`);
      } else {
        const size = "blob" in resource && typeof resource.blob === "string" ? `, ${kilobytes(resource.blob)} KB` : "";
        parts.push(`[resource ${resource.uri}${type}${size}]`);
      }
    }
  }
  if (parts.length === 0 && images.length === 0 && result.structuredContent !== undefined) {
    parts.push(JSON.stringify(result.structuredContent));
  }
  return { text: parts.join("\n"), images };
}

/**
 * What the model gets: on a vision model the text and the images (each checked by content and size like a user's;
 * one that fails is a note saying why); otherwise the text and one line per image.
 */
export function mcpToolOutput(result: ToolResultWithImages, serverName: string, vision: boolean): ToolOutput {
  if (!vision || result.images.length === 0) return { text: mcpResultText(result, serverName), images: [] };
  const images: ToolOutput["images"] = [];
  const notes: string[] = [];
  for (const image of result.images) {
    try {
      images.push(checkedImage(Buffer.from(image.base64, "base64"), `An image from MCP server "${serverName}"`));
    } catch (error) {
      notes.push(`[image ${image.mediaType} from ${serverName} not shown: ${(error as Error).message}]`);
    }
  }
  return { text: [result.text, ...notes].filter((part) => part !== "").join("\n"), images };
}

/** The text a model without vision gets: the result's text and one line per image. */
export function mcpResultText(result: ToolResultWithImages, serverName: string): string {
  const notes = result.images.map(
    (image) => `[image ${image.mediaType}, ${kilobytes(image.base64)} KB from ${serverName}]`,
  );
  return [result.text, ...notes].filter((part) => part !== "").join("\n");
}

/** The decoded size of base64 data in KB, at least 1. */
function kilobytes(base64: string): number {
  const bytes = Math.floor((base64.replace(/=+$/, "").length * 3) / 4);
  return Math.max(1, Math.round(bytes / 1024));
}
