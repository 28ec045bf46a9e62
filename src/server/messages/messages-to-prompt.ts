import type {
  LanguageModelV3FilePart,
  LanguageModelV3Message,
  LanguageModelV3Prompt,
  LanguageModelV3TextPart,
  LanguageModelV3ToolResultOutput,
  LanguageModelV3ToolResultPart,
} from "@ai-sdk/provider";
import { checkedImage } from "../../tools/images/checked-image.ts";
import { ImageInputError } from "../../tools/images/image-errors.ts";
import { InvalidRequestError } from "../gateway-errors.ts";
import type { AnthropicMessage, MessagesPrompt } from "./messages-request-schema.ts";

type Block = Exclude<AnthropicMessage["content"], string>[number];
type ImageBlock = Extract<Block, { type: "image" }>;
type AssistantContent = Extract<LanguageModelV3Message, { role: "assistant" }>["content"];

/** An image block as checked bytes (PNG, JPEG, WebP, GIF, by content and size). */
function imageOf(block: ImageBlock, param: string): { mediaType: string; base64: string } {
  try {
    return checkedImage(Buffer.from(block.source.data, "base64"), `The image at ${param}`);
  } catch (error) {
    if (error instanceof ImageInputError)
      throw new InvalidRequestError(error.message, { code: "invalid_image", param });
    throw error;
  }
}

function toolResultOutput(
  block: Extract<Block, { type: "tool_result" }>,
  param: string,
): LanguageModelV3ToolResultOutput {
  const content = block.content ?? "";
  if (typeof content === "string" || content.every((item) => item.type === "text")) {
    const text = typeof content === "string" ? content : content.map((item) => item.text).join("\n");
    return block.is_error ? { type: "error-text", value: text } : { type: "text", value: text };
  }
  return {
    type: "content",
    value: content.map((item, index) => {
      if (item.type === "text") return { type: "text" as const, text: item.text };
      const image = imageOf(item, `${param}.content[${index}]`);
      return { type: "image-data" as const, data: image.base64, mediaType: image.mediaType };
    }),
  };
}

/** The system prompt, whether a string or text blocks. */
const systemText = (system: MessagesPrompt["system"]): string =>
  typeof system === "string" ? system : (system ?? []).map((block) => block.text).join("\n");

/**
 * Anthropic messages to the provider-level prompt. A `thinking` block on an assistant turn becomes a reasoning
 * part, so the provider's replay rule holds (DeepSeek wants the reasoning of tool-calling turns back); `tool_use`
 * ids are kept as tool-call ids, and a user turn's `tool_result` blocks become a tool message before its text.
 */
export function messagesToPrompt(request: Pick<MessagesPrompt, "system" | "messages">): LanguageModelV3Prompt {
  const prompt: LanguageModelV3Message[] = [];
  const system = systemText(request.system);
  if (system.length > 0) prompt.push({ role: "system", content: system });
  const toolNames = new Map<string, string>();
  request.messages.forEach((message, index) => {
    const blocks: Block[] =
      typeof message.content === "string" ? [{ type: "text", text: message.content }] : message.content;
    const param = (blockIndex: number) => `messages[${index}].content[${blockIndex}]`;
    if (message.role === "assistant") {
      const content: AssistantContent = [];
      blocks.forEach((block, blockIndex) => {
        if (block.type === "thinking") content.push({ type: "reasoning", text: block.thinking });
        else if (block.type === "text") content.push({ type: "text", text: block.text });
        else if (block.type === "tool_use") {
          toolNames.set(block.id, block.name);
          content.push({ type: "tool-call", toolCallId: block.id, toolName: block.name, input: block.input ?? {} });
        } else if (block.type !== "redacted_thinking") {
          // Redacted thinking is another provider's sealed reasoning: nothing here can replay it, so it is left out.
          throw new InvalidRequestError(
            `${param(blockIndex)}: an assistant turn cannot carry a \`${block.type}\` block.`,
            {
              param: param(blockIndex),
            },
          );
        }
      });
      prompt.push({ role: "assistant", content });
      return;
    }
    const results: LanguageModelV3ToolResultPart[] = [];
    const userContent: (LanguageModelV3TextPart | LanguageModelV3FilePart)[] = [];
    blocks.forEach((block, blockIndex) => {
      if (block.type === "text") userContent.push({ type: "text", text: block.text });
      else if (block.type === "image") {
        const image = imageOf(block, param(blockIndex));
        userContent.push({ type: "file", mediaType: image.mediaType, data: image.base64 });
      } else if (block.type === "tool_result") {
        const toolName = toolNames.get(block.tool_use_id);
        if (toolName === undefined) {
          throw new InvalidRequestError(
            `${param(blockIndex)} answers tool_use "${block.tool_use_id}", which no earlier assistant turn made.`,
            { param: `${param(blockIndex)}.tool_use_id` },
          );
        }
        const output = toolResultOutput(block, param(blockIndex));
        results.push({ type: "tool-result", toolCallId: block.tool_use_id, toolName, output });
      } else {
        throw new InvalidRequestError(`${param(blockIndex)}: a user turn cannot carry a \`${block.type}\` block.`, {
          param: param(blockIndex),
        });
      }
    });
    if (results.length > 0) prompt.push({ role: "tool", content: results });
    if (userContent.length > 0) prompt.push({ role: "user", content: userContent });
  });
  return prompt;
}

/** True when a tool result carries an image (the gateway's vision check looks at user turns only). */
export const promptHasToolImages = (prompt: LanguageModelV3Prompt): boolean =>
  prompt.some(
    (message) =>
      message.role === "tool" &&
      message.content.some(
        (part) =>
          part.type === "tool-result" &&
          part.output.type === "content" &&
          part.output.value.some((item) => item.type === "image-data"),
      ),
  );
