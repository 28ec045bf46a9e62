import type {
  LanguageModelV3FilePart,
  LanguageModelV3Message,
  LanguageModelV3Prompt,
  LanguageModelV3TextPart,
} from "@ai-sdk/provider";
import { jsonTextTooDeep, maximumJsonDepth } from "../tools/json-depth.ts";
import type { ChatMessage } from "./chat-request-schema.ts";
import { InvalidRequestError } from "./gateway-errors.ts";

type TextContent = string | { type: "text"; text: string }[];

const joinText = (content: TextContent | null | undefined): string =>
  typeof content === "string" ? content : (content ?? []).map((part) => part.text).join("");

/** Tool arguments as the model layer expects them: parsed JSON, or the raw text when it is not JSON. */
function parsedArguments(text: string, param: string): unknown {
  // Measured on the text: parsed, a deep value would overflow the stack when re-serialised for the provider.
  if (jsonTextTooDeep(text)) {
    throw new InvalidRequestError(
      `\`${param}\` nests arrays and objects deeper than ${maximumJsonDepth} levels; nothing was done. ` +
        "Send flatter tool-call arguments.",
      { code: "nesting_too_deep", param },
    );
  }
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

function imagePart(url: string): LanguageModelV3FilePart {
  const dataUrl = url.match(/^data:([^;,]+)(?:;[^,]*)?,(.*)$/s);
  if (dataUrl) return { type: "file", mediaType: dataUrl[1]!, data: dataUrl[2]! };
  try {
    return { type: "file", mediaType: "image/*", data: new URL(url) };
  } catch {
    throw new InvalidRequestError(`Image URL "${url.slice(0, 80)}" is neither a data: URL nor an absolute URL.`);
  }
}

/**
 * OpenAI chat messages to the provider-level prompt. An assistant's `reasoning_content` becomes a reasoning part
 * (thinking models need it back on tool-calling turns); a tool message is matched to its call by id.
 */
export function chatMessagesToPrompt(messages: readonly ChatMessage[]): LanguageModelV3Prompt {
  const prompt: LanguageModelV3Message[] = [];
  const toolNames = new Map<string, string>();
  messages.forEach((message, index) => {
    switch (message.role) {
      case "system":
      case "developer":
        prompt.push({ role: "system", content: joinText(message.content) });
        break;
      case "user": {
        const content: (LanguageModelV3TextPart | LanguageModelV3FilePart)[] =
          typeof message.content === "string"
            ? [{ type: "text", text: message.content }]
            : message.content.map((part) =>
                part.type === "text" ? { type: "text", text: part.text } : imagePart(part.image_url.url),
              );
        prompt.push({ role: "user", content });
        break;
      }
      case "assistant": {
        const content: Extract<LanguageModelV3Message, { role: "assistant" }>["content"] = [];
        if (message.reasoning_content) content.push({ type: "reasoning", text: message.reasoning_content });
        const text = joinText(message.content);
        if (text.length > 0) content.push({ type: "text", text });
        for (const [callIndex, call] of (message.tool_calls ?? []).entries()) {
          toolNames.set(call.id, call.function.name);
          content.push({
            type: "tool-call",
            toolCallId: call.id,
            toolName: call.function.name,
            input: parsedArguments(
              call.function.arguments,
              `messages[${index}].tool_calls[${callIndex}].function.arguments`,
            ),
          });
        }
        prompt.push({ role: "assistant", content });
        break;
      }
      case "tool": {
        const toolName = toolNames.get(message.tool_call_id);
        if (toolName === undefined) {
          throw new InvalidRequestError(
            `messages[${index}] answers tool call "${message.tool_call_id}", which no earlier assistant message made.`,
            { param: `messages[${index}].tool_call_id` },
          );
        }
        const part = {
          type: "tool-result" as const,
          toolCallId: message.tool_call_id,
          toolName,
          output: { type: "text" as const, value: joinText(message.content) },
        };
        const previous = prompt[prompt.length - 1];
        if (previous?.role === "tool") previous.content.push(part);
        else prompt.push({ role: "tool", content: [part] });
        break;
      }
    }
  });
  return prompt;
}
