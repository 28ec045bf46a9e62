import type { LanguageModelV3CallOptions, LanguageModelV3Prompt } from "@ai-sdk/provider";
import { assistantWireParts } from "../openai-chat/assistant-wire-parts.ts";
import { imageTokenUpperBound } from "./byte-bound.ts";

type Message = LanguageModelV3Prompt[number];
type UserPart = Extract<Message, { role: "user" }>["content"][number];
type ToolPart = Extract<Message, { role: "tool" }>["content"][number];
type ToolResultOutput = Extract<ToolPart, { type: "tool-result" }>["output"];

/** A message's text as it goes on the wire, and how many images it carries (counted apart, at their bound). */
export interface MessageText {
  role: Message["role"];
  /** The text of a system or user message, an assistant's answer text, or one tool result per entry. */
  texts: string[];
  reasoning?: string;
  toolCalls: { name: string; arguments: string }[];
  images: number;
  /** A tool message's results as given, one per entry of `texts`: for a provider that words them its own way. */
  results?: { toolName: string; output: ToolResultOutput }[];
}

const isImage = (part: UserPart) => part.type === "file" && part.mediaType.startsWith("image/");

/** The text a tool result is sent as (the chat wire's rule, see openai-chat/convert-prompt.ts). */
export function toolOutputText(output: { type: string; value?: unknown; reason?: string }): string {
  switch (output.type) {
    case "text":
    case "error-text":
      return String(output.value);
    case "execution-denied":
      return output.reason ?? "The tool call was denied.";
    case "content":
      return (output.value as { type: string; text?: string }[])
        .filter((item) => item.type === "text")
        .map((item) => item.text)
        .join("\n");
    default:
      return JSON.stringify(output.value);
  }
}

const resultImages = (part: ToolPart): number =>
  part.type === "tool-result" && part.output.type === "content"
    ? part.output.value.filter((item) => item.type === "image-data" || item.type === "file-data").length
    : 0;

/** A message's wire text, so a tokenizer counts what the provider is sent. */
function messageText(message: Message): MessageText {
  switch (message.role) {
    case "system":
      return { role: "system", texts: [message.content], toolCalls: [], images: 0 };
    case "user":
      return {
        role: "user",
        texts: [message.content.map((part) => (part.type === "text" ? part.text : "")).join("")],
        toolCalls: [],
        images: message.content.filter(isImage).length,
      };
    case "assistant": {
      const { text, reasoning, toolCalls } = assistantWireParts(message.content);
      return {
        role: "assistant",
        texts: [text],
        reasoning,
        toolCalls: toolCalls.map((call) => ({ name: call.function.name, arguments: call.function.arguments })),
        images: 0,
      };
    }
    case "tool":
      return {
        role: "tool",
        texts: message.content.flatMap((part) => (part.type === "tool-result" ? [toolOutputText(part.output)] : [])),
        toolCalls: [],
        images: message.content.reduce((sum, part) => sum + resultImages(part), 0),
        results: message.content.flatMap((part) =>
          part.type === "tool-result" ? [{ toolName: part.toolName, output: part.output }] : [],
        ),
      };
  }
}

/** Each message's wire text. */
export const messageTexts = (prompt: LanguageModelV3Prompt): MessageText[] => prompt.map(messageText);

/** The tools as the chat wire sends them (the JSON a provider puts into the prompt). */
export function wireToolsJson(tools: LanguageModelV3CallOptions["tools"]): string | undefined {
  const functions = (tools ?? []).flatMap((tool) =>
    tool.type === "function"
      ? [
          {
            type: "function",
            function: { name: tool.name, description: tool.description, parameters: tool.inputSchema },
          },
        ]
      : [],
  );
  return functions.length > 0 ? JSON.stringify(functions) : undefined;
}

/** The images' share of a prompt: a provider resizes each to a bounded count, whatever its bytes. */
export const imageTokens = (messages: readonly MessageText[]): number =>
  messages.reduce((sum, message) => sum + message.images * imageTokenUpperBound, 0);
