import type { LanguageModelV3CallOptions, LanguageModelV3FinishReason, LanguageModelV3Usage } from "@ai-sdk/provider";
import type { ResolvedModel } from "../models/resolved-model.ts";
import type { AssistantMessage } from "../store/records.ts";

export interface ModelCallResult {
  assistant: AssistantMessage;
  finishReason: LanguageModelV3FinishReason;
  usage: LanguageModelV3Usage;
}

/** Streams one model call, passing reasoning and text deltas on as they come, and gathers the whole answer. */
export async function callModel(
  resolved: ResolvedModel,
  options: LanguageModelV3CallOptions,
  onDelta: (kind: "reasoning" | "text", text: string) => void,
): Promise<ModelCallResult> {
  const { stream } = await resolved.model.doStream(options);
  const assistant: AssistantMessage = { text: "", toolCalls: [] };
  let reasoning = "";
  let finishReason: LanguageModelV3FinishReason = { unified: "other", raw: undefined };
  let usage: LanguageModelV3Usage | undefined;
  const reader = stream.getReader();
  try {
    while (true) {
      const { value: part, done } = await reader.read();
      if (done) break;
      switch (part.type) {
        case "reasoning-delta":
          reasoning += part.delta;
          onDelta("reasoning", part.delta);
          break;
        case "text-delta":
          assistant.text += part.delta;
          onDelta("text", part.delta);
          break;
        case "tool-call":
          assistant.toolCalls.push({ id: part.toolCallId, name: part.toolName, input: part.input });
          break;
        case "finish":
          finishReason = part.finishReason;
          usage = part.usage;
          break;
        case "error":
          throw part.error;
      }
    }
  } finally {
    reader.releaseLock();
  }
  if (!usage) throw new Error(`${resolved.entry.id} ended its answer without reporting usage`);
  if (reasoning) assistant.reasoning = reasoning;
  return { assistant, finishReason, usage };
}
