import type { LanguageModelV3Content } from "@ai-sdk/provider";
import type { AnswerFormat, WholeAnswer } from "../answer-format.ts";
import { anthropicStopReason, anthropicUsage } from "./anthropic-usage.ts";
import { MessagesStreamWriter } from "./messages-stream-writer.ts";
import { thinkingSignature } from "./thinking-signature.ts";

/** Tool input as the object Anthropic's `tool_use.input` is; text that is not JSON is kept as a string. */
export function toolInputObject(input: string): unknown {
  try {
    return JSON.parse(input === "" ? "{}" : input);
  } catch {
    return input;
  }
}

/** The answer's parts as content blocks: thinking (signed), text, then tool_use, in the order the model gave them. */
function contentBlocks(content: readonly LanguageModelV3Content[]) {
  const blocks: Record<string, unknown>[] = [];
  for (const part of content) {
    if (part.type === "reasoning" && part.text !== "") {
      blocks.push({ type: "thinking", thinking: part.text, signature: thinkingSignature(part.text) });
    } else if (part.type === "text" && part.text !== "") {
      blocks.push({ type: "text", text: part.text });
    } else if (part.type === "tool-call") {
      blocks.push({ type: "tool_use", id: part.toolCallId, name: part.toolName, input: toolInputObject(part.input) });
    }
  }
  return blocks;
}

/** An Anthropic `message` body. */
function messageBody(answer: WholeAnswer) {
  return {
    id: answer.id,
    type: "message",
    role: "assistant",
    model: answer.model,
    content: contentBlocks(answer.content),
    stop_reason: anthropicStopReason(answer.finishReason),
    stop_sequence: null,
    usage: anthropicUsage(answer.billed.usage, answer.billed.costUsd),
  };
}

/** The Anthropic Messages API: `message` bodies, and `message_start` ... `message_stop` event streams. */
export const messagesFormat: AnswerFormat = {
  idPrefix: "msg_",
  body: messageBody,
  streamWriter: ({ id, model }) => new MessagesStreamWriter(id, model),
};
