import { randomUUID } from "node:crypto";
import type { LanguageModelV3CallOptions, LanguageModelV3StreamPart } from "@ai-sdk/provider";
import { LlamaChat, type LlamaGrammar } from "node-llama-cpp";
import { AnswerSplitter } from "./answer-splitter.ts";
import { ToolInputInvalidError } from "./embedded-errors.ts";
import type { EmbeddedSession } from "./embedded-session.ts";
import { embeddedUsage, finishReasonOf } from "./embedded-usage.ts";
import type { CallPlan } from "./plan-call.ts";
import { toolInputProblems } from "./validate-tool-input.ts";

/**
 * Generates one answer on the session's sequence and emits its parts, ending with `finish`. Throws the
 * signal's reason when aborted and ToolInputInvalidError when a call breaks a rule the grammar cannot enforce.
 */
export async function generateAnswer(
  session: EmbeddedSession,
  plan: CallPlan,
  grammar: LlamaGrammar | undefined,
  options: LanguageModelV3CallOptions,
  signal: AbortSignal,
  emit: (part: LanguageModelV3StreamPart) => void,
): Promise<void> {
  const chat = new LlamaChat({ contextSequence: session.sequence, chatWrapper: session.chatWrapper });
  const meterBefore = session.sequence.tokenMeter.getState();
  const reusedPromptTokens = session.sequence.compareContextTokens(plan.promptTokens).firstDifferentIndex;
  const splitter = new AnswerSplitter(plan.callsAllowed, `call_${randomUUID().replaceAll("-", "")}`, emit);
  let reasoningTokens = 0;
  try {
    const result = await chat.generateResponse(plan.history, {
      grammar,
      signal,
      maxTokens: plan.maxTokens,
      temperature: options.temperature,
      topP: options.topP,
      topK: options.topK,
      seed: options.seed,
      customStopTriggers: options.stopSequences,
      repeatPenalty: repeatPenaltyOf(options),
      onResponseChunk: (chunk) => {
        if (chunk.type === "segment") {
          reasoningTokens += chunk.tokens.length;
          splitter.reasoning(chunk.text);
        } else splitter.text(chunk.text);
      },
    });
    const meterAfter = session.sequence.tokenMeter.getState();
    const call = splitter.finish();
    if (call) {
      const schema = plan.toolSchemas.get(call.toolName) ?? true;
      const problems = toolInputProblems(schema, JSON.parse(call.input));
      if (problems !== undefined) throw new ToolInputInvalidError(call.toolName, call.input, problems);
      emit({ type: "tool-call", ...call });
    }
    emit({
      type: "finish",
      finishReason: finishReasonOf(result.metadata.stopReason, call !== undefined),
      usage: embeddedUsage({
        promptTokens: plan.promptTokens.length,
        reusedPromptTokens,
        generatedTokens: meterAfter.usedOutputTokens - meterBefore.usedOutputTokens,
        reasoningTokens,
      }),
    });
  } finally {
    chat.dispose({ disposeSequence: false });
  }
}

// The AI SDK's penalties range over [-2, 2]; llama.cpp's over [0, 1], and it cannot reward repetition.
function repeatPenaltyOf(options: LanguageModelV3CallOptions) {
  if (options.presencePenalty === undefined && options.frequencyPenalty === undefined) return undefined;
  const clamp = (value: number | undefined) => Math.min(1, Math.max(0, (value ?? 0) / 2));
  return {
    presencePenalty: clamp(options.presencePenalty),
    frequencyPenalty: clamp(options.frequencyPenalty),
  };
}
