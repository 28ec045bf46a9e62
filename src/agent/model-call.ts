import type { LanguageModelV3CallOptions, LanguageModelV3FinishReason, LanguageModelV3Usage } from "@ai-sdk/provider";
import type { StreamedOutput } from "../cost/estimated-usage.ts";
import { type ErrorKind, TansuoError } from "../errors/tansuo-error.ts";
import type { ResolvedModel } from "../models/resolved-model.ts";
import { unbilledReason } from "../models/unbilled-call.ts";
import type { AssistantMessage } from "../store/records.ts";

// A model call's failure is the cause's kind when Tansuo classed it; an unclassed throw from a model is the provider's.
const causeKind = (cause: unknown): ErrorKind => (cause instanceof TansuoError ? cause.kind : "provider");

/**
 * A call that broke off after the provider had started answering (cancelled, or the stream failed). The provider
 * bills what it generated, so the caller records an estimate; `cause` is the original error.
 */
export class InterruptedAnswerError extends TansuoError {
  override readonly name = "InterruptedAnswerError";
  readonly kind: ErrorKind;
  constructor(
    override readonly cause: unknown,
    readonly partial: AssistantMessage,
    /** What streamed before the break: bytes bound the output tokens seen (a token is at least a byte). */
    readonly streamed: StreamedOutput,
  ) {
    super(cause instanceof Error ? cause.message : String(cause));
    this.kind = causeKind(cause);
  }
}

/**
 * A call that failed before any answer began. `unbilledReason` says why it provably cost nothing (an error
 * answer, a connection never made); without it the request may have reached the provider and been billed.
 */
export class UnansweredCallError extends TansuoError {
  override readonly name = "UnansweredCallError";
  readonly kind: ErrorKind;
  readonly unbilledReason: string | undefined;
  constructor(override readonly cause: unknown) {
    super(cause instanceof Error ? cause.message : String(cause));
    this.unbilledReason = unbilledReason(cause);
    this.kind = causeKind(cause);
  }
}

export interface ModelCallResult {
  assistant: AssistantMessage;
  finishReason: LanguageModelV3FinishReason;
  usage: LanguageModelV3Usage;
  /** What streamed (reasoning, text, tool input): an upper bound on output tokens when usage is missing. */
  streamed: StreamedOutput;
  /** Tokens per second, when the provider measured them (the embedded model does). */
  speed?: { promptTokensPerSecond: number; generationTokensPerSecond: number };
}

/** Streams one model call, passing reasoning and text deltas on as they come, and gathers the whole answer. */
export async function callModel(
  resolved: ResolvedModel,
  options: LanguageModelV3CallOptions,
  onDelta: (kind: "reasoning" | "text", text: string) => void,
): Promise<ModelCallResult> {
  let opened: Awaited<ReturnType<ResolvedModel["model"]["doStream"]>>;
  try {
    opened = await resolved.model.doStream(options);
  } catch (error) {
    throw new UnansweredCallError(error);
  }
  const assistant: AssistantMessage = { text: "", toolCalls: [] };
  let reasoning = "";
  let finishReason: LanguageModelV3FinishReason = { unified: "other", raw: undefined };
  let usage: LanguageModelV3Usage | undefined;
  let speed: ModelCallResult["speed"];
  const reader = opened.stream.getReader();
  const streamed: StreamedOutput = { outputBytes: 0, reasoningBytes: 0, deltas: 0 };
  try {
    while (true) {
      const { value: part, done } = await reader.read();
      if (done) break;
      switch (part.type) {
        case "reasoning-delta":
          streamed.reasoningBytes += Buffer.byteLength(part.delta);
          streamed.deltas += 1;
          reasoning += part.delta;
          onDelta("reasoning", part.delta);
          break;
        case "text-delta":
          streamed.outputBytes += Buffer.byteLength(part.delta);
          streamed.deltas += 1;
          assistant.text += part.delta;
          onDelta("text", part.delta);
          break;
        case "tool-input-delta":
          streamed.outputBytes += Buffer.byteLength(part.delta);
          streamed.deltas += 1;
          break;
        case "tool-call":
          assistant.toolCalls.push({ id: part.toolCallId, name: part.toolName, input: part.input });
          break;
        case "finish":
          finishReason = part.finishReason;
          usage = part.usage;
          speed = speedOf(part.providerMetadata?.embedded);
          break;
        case "error":
          throw part.error;
      }
    }
  } catch (error) {
    if (reasoning) assistant.reasoning = reasoning;
    throw new InterruptedAnswerError(error, assistant, streamed);
  } finally {
    reader.releaseLock();
  }
  // The answer came, so it was billed; without its usage only the estimate is left.
  if (!usage) {
    const cause = new Error(`${resolved.entry.id} ended its answer without reporting usage`);
    throw new InterruptedAnswerError(cause, { ...assistant, reasoning: reasoning || undefined }, streamed);
  }
  if (reasoning) assistant.reasoning = reasoning;
  return { assistant, finishReason, usage, streamed, ...(speed ? { speed } : {}) };
}

function speedOf(metadata: Record<string, unknown> | undefined): ModelCallResult["speed"] {
  const prompt = metadata?.promptTokensPerSecond;
  const generation = metadata?.generationTokensPerSecond;
  if (typeof prompt !== "number" || typeof generation !== "number") return undefined;
  return { promptTokensPerSecond: prompt, generationTokensPerSecond: generation };
}
