import type { LanguageModelV3FinishReason } from "@ai-sdk/provider";

export function mapFinishReason(raw: string | null | undefined): LanguageModelV3FinishReason {
  switch (raw) {
    case "stop":
      return { unified: "stop", raw };
    case "length":
      return { unified: "length", raw };
    case "content_filter":
      return { unified: "content-filter", raw };
    case "tool_calls":
    case "function_call":
      return { unified: "tool-calls", raw };
    // DeepSeek: the inference system ran short of resources and cut the answer; the caller may retry.
    case "insufficient_system_resource":
      return { unified: "error", raw };
    default:
      return { unified: "other", raw: raw ?? undefined };
  }
}
