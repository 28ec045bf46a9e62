import type {
  LanguageModelV3FilePart,
  LanguageModelV3Message,
  LanguageModelV3Prompt,
  LanguageModelV3TextPart,
} from "@ai-sdk/provider";
import { checkedImage, checkImageSet, imageByteCount } from "../tools/images/checked-image.ts";
import { ImageInputError } from "../tools/images/image-errors.ts";
import { jsonTextTooDeep, maximumJsonDepth } from "../tools/json-depth.ts";
import type { ChatMessage } from "./chat-request-schema.ts";
import { InvalidRequestError } from "./gateway-errors.ts";

type TextContent = string | { type: "text"; text: string }[];

const joinText = (content: TextContent | null | undefined): string =>
  typeof content === "string" ? content : (content ?? []).map((part) => part.text).join("");

/** Tool arguments as the model layer expects them: parsed JSON, or the raw text when it is not JSON. */
export function parsedArguments(text: string, param: string): unknown {
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

/**
 * An `image_url` part as a file part. Only base64 data URLs are taken, checked by content (PNG, JPEG, WebP, GIF)
 * and size; an http(s) URL is refused rather than passed on, since the upstream (a self-hosted vLLM on the
 * operator's network, say) would fetch an address the caller chose.
 */
export function imagePart(url: string, param: string): LanguageModelV3FilePart {
  const dataUrl = url.match(/^data:([^;,]*);base64,(.*)$/s);
  if (!dataUrl) {
    const shown = url.slice(0, 80);
    throw new InvalidRequestError(
      /^https?:/i.test(url)
        ? `Image URL "${shown}" is not accepted: this gateway takes images only as base64 data URLs (data:image/png;base64,...). Download the image and send its bytes.`
        : `Image URL "${shown}" is not a base64 data URL (data:image/png;base64,...).`,
      { code: "unsupported_image_url", param },
    );
  }
  try {
    const image = checkedImage(Buffer.from(dataUrl[2]!, "base64"), `The image at ${param}`);
    return { type: "file", mediaType: image.mediaType, data: image.base64 };
  } catch (error) {
    if (error instanceof ImageInputError)
      throw new InvalidRequestError(error.message, { code: "invalid_image", param });
    throw error;
  }
}

/** True when the prompt carries an image (a file part in a user message). */
export function promptHasImages(prompt: LanguageModelV3Prompt): boolean {
  return prompt.some((message) => message.role === "user" && message.content.some((part) => part.type === "file"));
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
            : message.content.map((part, partIndex) =>
                part.type === "text"
                  ? { type: "text", text: part.text }
                  : imagePart(part.image_url.url, `messages[${index}].content[${partIndex}].image_url.url`),
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
  refuseTooManyImages(prompt);
  return prompt;
}

/** One request carries at most as many images, and bytes of them, as one run may. */
export function refuseTooManyImages(prompt: readonly LanguageModelV3Message[]): void {
  const sizes = prompt.flatMap((message) =>
    message.role === "user"
      ? message.content.flatMap((part) =>
          part.type === "file" && typeof part.data === "string"
            ? [imageByteCount({ mediaType: part.mediaType, base64: part.data })]
            : [],
        )
      : [],
  );
  try {
    checkImageSet(sizes, "A request");
  } catch (error) {
    if (error instanceof ImageInputError)
      throw new InvalidRequestError(error.message, { code: "invalid_image", param: "messages" });
    throw error;
  }
}
