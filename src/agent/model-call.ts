import type { LanguageModelV3CallOptions, LanguageModelV3FinishReason, LanguageModelV3Usage } from "@ai-sdk/provider";
import type { ResolvedModel } from "../models/resolved-model.ts";
import type { AssistantMessage } from "../store/records.ts";

/**
 * A call that broke off after the provider had started answering (cancelled, or the stream failed). The provider
 * bills what it generated, so the caller records an estimate; `cause` is the original error.
 */
export class InterruptedAnswerError extends Error {
  override readonly name = "InterruptedAnswerError";
  constructor(
    override readonly cause: unknown,
    readonly partial: AssistantMessage,
    /** UTF-8 bytes streamed so far: an upper bound on the output tokens seen (a token is at least a byte). */
    readonly streamedBytes: number,
  ) {
    super(cause instanceof Error ? cause.message : String(cause));
  }
}

export interface ModelCallResult {
  assistant: AssistantMessage;
  finishReason: LanguageModelV3FinishReason;
  usage: LanguageModelV3Usage;
  /** UTF-8 bytes streamed (reasoning, text, tool input): an upper bound on output tokens when usage is missing. */
  streamedBytes: number;
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
  let streamedBytes = 0;
  try {
    while (true) {
      const { value: part, done } = await reader.read();
      if (done) break;
      switch (part.type) {
        case "reasoning-delta":
          streamedBytes += Buffer.byteLength(part.delta);
          reasoning += part.delta;
          onDelta("reasoning", part.delta);
          break;
        case "text-delta":
          streamedBytes += Buffer.byteLength(part.delta);
          assistant.text += part.delta;
          onDelta("text", part.delta);
          break;
        case "tool-input-delta":
          streamedBytes += Buffer.byteLength(part.delta);
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
  } catch (error) {
    if (reasoning) assistant.reasoning = reasoning;
    throw new InterruptedAnswerError(error, assistant, streamedBytes);
  } finally {
    reader.releaseLock();
  }
  if (!usage) throw new Error(`${resolved.entry.id} ended its answer without reporting usage`);
  if (reasoning) assistant.reasoning = reasoning;
  return { assistant, finishReason, usage, streamedBytes };
}
