import type { LanguageModelV3Prompt } from "@ai-sdk/provider";
import type { ReasoningReplay } from "../model-entry.ts";
import { assistantWireParts } from "./assistant-wire-parts.ts";

/** One message in the OpenAI chat-completions wire format, with DeepSeek's `reasoning_content`. */
export interface WireMessage {
  role: "system" | "user" | "assistant" | "tool";
  content: string | null | WireContentPart[];
  reasoning_content?: string;
  tool_calls?: { id: string; type: "function"; function: { name: string; arguments: string } }[];
  tool_call_id?: string;
}

type WireContentPart = { type: "text"; text: string } | { type: "image_url"; image_url: { url: string } };

/**
 * Converts a provider-level prompt to wire messages, applying the model's reasoning replay policy:
 * DeepSeek V3.2+ answers 400 when an assistant turn that called tools comes back without its reasoning,
 * legacy R1 answers 400 when any reasoning comes back.
 */
export function convertPrompt(prompt: LanguageModelV3Prompt, replay: ReasoningReplay): WireMessage[] {
  const messages: WireMessage[] = [];
  for (const message of prompt) {
    switch (message.role) {
      case "system":
        messages.push({ role: "system", content: message.content });
        break;
      case "user": {
        const parts: WireContentPart[] = [];
        for (const part of message.content) {
          if (part.type === "text") parts.push({ type: "text", text: part.text });
          else if (part.type === "file" && part.mediaType.startsWith("image/")) {
            parts.push({ type: "image_url", image_url: { url: fileUrl(part.data, part.mediaType) } });
          }
        }
        const onlyText = parts.every((part) => part.type === "text");
        messages.push({
          role: "user",
          content: onlyText ? parts.map((part) => (part.type === "text" ? part.text : "")).join("") : parts,
        });
        break;
      }
      case "assistant": {
        const { text, reasoning, toolCalls } = assistantWireParts(message.content);
        const wire: WireMessage = { role: "assistant", content: text.length > 0 ? text : null };
        const sendReasoning = replay === "all" || (replay === "tool-turns" && toolCalls.length > 0);
        if (sendReasoning && (reasoning !== undefined || toolCalls.length > 0))
          wire.reasoning_content = reasoning ?? "";
        if (toolCalls.length > 0) wire.tool_calls = toolCalls;
        if (wire.content === null && toolCalls.length === 0) wire.content = "";
        messages.push(wire);
        break;
      }
      case "tool": {
        const images: WireContentPart[] = [];
        for (const part of message.content) {
          if (part.type !== "tool-result") continue;
          messages.push({ role: "tool", tool_call_id: part.toolCallId, content: toolOutputText(part.output) });
          if (part.output.type !== "content") continue;
          for (const item of part.output.value) {
            if ((item.type === "image-data" || item.type === "file-data") && item.mediaType.startsWith("image/")) {
              images.push({ type: "image_url", image_url: { url: `data:${item.mediaType};base64,${item.data}` } });
            }
          }
        }
        // The chat-completions format has no images in a `tool` message (its content is text), so the images the
        // tools returned follow as one user message right after the tool messages, as OpenAI's own guides do.
        if (images.length > 0) {
          messages.push({
            role: "user",
            content: [{ type: "text", text: "Images returned by the tool calls above:" }, ...images],
          });
        }
        break;
      }
    }
  }
  return messages;
}

function toolOutputText(output: { type: string; value?: unknown; reason?: string }): string {
  switch (output.type) {
    case "text":
    case "error-text":
      return String(output.value);
    case "execution-denied":
      return output.reason ?? "The tool call was denied.";
    case "content":
      // The text parts; images are sent in the user message that follows (see the "tool" case).
      return (output.value as { type: string; text?: string }[])
        .filter((item) => item.type === "text")
        .map((item) => item.text)
        .join("\n");
    default:
      return JSON.stringify(output.value);
  }
}

function fileUrl(data: unknown, mediaType: string): string {
  if (data instanceof URL) return data.toString();
  if (typeof data === "string")
    return data.startsWith("data:") || /^https?:/.test(data) ? data : `data:${mediaType};base64,${data}`;
  if (data instanceof Uint8Array) return `data:${mediaType};base64,${Buffer.from(data).toString("base64")}`;
  return String(data);
}
