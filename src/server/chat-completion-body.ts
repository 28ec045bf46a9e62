import type { LanguageModelV3Content, LanguageModelV3FinishReason } from "@ai-sdk/provider";
import { assistantWireParts } from "../models/openai-chat/assistant-wire-parts.ts";
import { openAiFinishReason } from "./finish-reason.ts";
import type { OpenAiUsage } from "./openai-usage.ts";

/** A non-streaming `chat.completion` answer from the provider's content parts. */
export function chatCompletionBody(answer: {
  id: string;
  created: number;
  model: string;
  content: readonly LanguageModelV3Content[];
  finishReason: LanguageModelV3FinishReason;
  usage: OpenAiUsage;
}) {
  const { text, reasoning, toolCalls } = assistantWireParts(answer.content);
  const message: Record<string, unknown> = {
    role: "assistant",
    content: text === "" && toolCalls.length > 0 ? null : text,
    refusal: null,
  };
  if (reasoning !== undefined) message.reasoning_content = reasoning;
  if (toolCalls.length > 0) message.tool_calls = toolCalls;
  return {
    id: answer.id,
    object: "chat.completion",
    created: answer.created,
    model: answer.model,
    system_fingerprint: null,
    choices: [{ index: 0, message, logprobs: null, finish_reason: openAiFinishReason(answer.finishReason) }],
    usage: answer.usage,
  };
}
