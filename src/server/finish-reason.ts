import type { LanguageModelV3FinishReason } from "@ai-sdk/provider";

/** The provider's finish reason in OpenAI's words; a raw reason OpenAI lacks (DeepSeek's) is passed on as is. */
export function openAiFinishReason(reason: LanguageModelV3FinishReason): string {
  switch (reason.unified) {
    case "stop":
      return "stop";
    case "length":
      return "length";
    case "tool-calls":
      return "tool_calls";
    case "content-filter":
      return "content_filter";
    default:
      return reason.raw ?? "stop";
  }
}
