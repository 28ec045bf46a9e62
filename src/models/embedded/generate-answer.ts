import { randomUUID } from "node:crypto";
import type { LanguageModelV3CallOptions, LanguageModelV3StreamPart } from "@ai-sdk/provider";
import type {
  ChatHistoryItem,
  LLamaChatGenerateResponseOptions,
  LlamaChatResponse,
  LlamaGrammar,
} from "node-llama-cpp";
import { AnswerSplitter } from "./answer-splitter.ts";
import { ToolInputInvalidError } from "./embedded-errors.ts";
import type { EmbeddedSession } from "./embedded-session.ts";
import { embeddedUsage, finishReasonOf } from "./embedded-usage.ts";
import { GenerationClock } from "./generation-clock.ts";
import { type ParsedCall, parseNativeCalls } from "./parse-native-calls.ts";
import type { CallPlan, ToolCallPlan } from "./plan-call.ts";
import { toolInputProblems } from "./validate-tool-input.ts";

type ChunkListener = NonNullable<LLamaChatGenerateResponseOptions["onResponseChunk"]>;

/**
 * Generates one answer on the session's sequence and emits its parts, ending with `finish`. Tool calls are
 * written in the chat wrapper's native syntax under Tansuo's grammar: when the model must call, the whole
 * answer is calls; otherwise it writes freely until it opens a call, and the rest of the turn is constrained.
 * Throws the signal's reason when aborted and ToolInputInvalidError when a call breaks a rule the grammar
 * cannot enforce.
 */
export async function generateAnswer(
  session: EmbeddedSession,
  plan: CallPlan,
  grammar: LlamaGrammar | undefined,
  options: LanguageModelV3CallOptions,
  signal: AbortSignal,
  emit: (part: LanguageModelV3StreamPart) => void,
): Promise<void> {
  const chat = session.chat;
  session.toolDocs.use(plan.functions);
  const meterBefore = session.sequence.tokenMeter.getState();
  const reusedPromptTokens = session.sequence.compareContextTokens(plan.promptTokens).firstDifferentIndex;
  const splitter = new AnswerSplitter(false, "", emit);
  const clock = new GenerationClock();
  let reasoningTokens = 0;
  const sampling = {
    signal,
    temperature: options.temperature,
    topP: options.topP,
    topK: options.topK,
    seed: options.seed,
    repeatPenalty: repeatPenaltyOf(options),
    onToken: () => clock.tokenArrived(),
  };
  const streamText: ChunkListener = (chunk) => {
    if (chunk.type === "segment") {
      reasoningTokens += chunk.tokens.length;
      splitter.reasoning(chunk.text);
    } else splitter.text(chunk.text);
  };
  const generatedSoFar = () => session.sequence.tokenMeter.getState().usedOutputTokens - meterBefore.usedOutputTokens;
  let result: LlamaChatResponse;
  let calls: { calls: ParsedCall[]; complete: boolean } | undefined;
  const tools = plan.tools;
  if (tools?.mustCall) {
    const callsGrammar = await session.grammars.get(tools.callsGrammar);
    result = await chat.generateResponse(plan.history, {
      ...sampling,
      grammar: callsGrammar,
      maxTokens: plan.maxTokens,
    });
    calls = parseNativeCalls(result.response, tools.syntax, [...tools.schemas.keys()]);
  } else if (tools) {
    result = await chat.generateResponse(plan.history, {
      ...sampling,
      maxTokens: plan.maxTokens,
      customStopTriggers: [...(options.stopSequences ?? []), tools.syntax.trigger],
      onResponseChunk: streamText,
    });
    if (openedCall(result, tools)) {
      const continued = withOpener(result.lastEvaluation.cleanHistory, tools.syntax.opener);
      const afterOpener = await session.grammars.get(tools.afterOpenerGrammar);
      result = await chat.generateResponse(continued, {
        ...sampling,
        grammar: afterOpener,
        maxTokens: Math.max(1, plan.maxTokens - generatedSoFar()),
      });
      calls = parseNativeCalls(tools.syntax.opener + result.response, tools.syntax, [...tools.schemas.keys()]);
    }
  } else {
    result = await chat.generateResponse(plan.history, {
      ...sampling,
      grammar,
      maxTokens: plan.maxTokens,
      customStopTriggers: options.stopSequences,
      onResponseChunk: streamText,
    });
  }
  splitter.finish();
  // Calls written whole before the output limit cut the turn still run; the one cut short is dropped.
  const finished = calls?.calls ?? [];
  for (const call of finished) emitCall(call, tools as ToolCallPlan, emit);
  const meterAfter = session.sequence.tokenMeter.getState();
  const generatedTokens = meterAfter.usedOutputTokens - meterBefore.usedOutputTokens;
  emit({
    type: "finish",
    finishReason: finishReasonOf(result.metadata.stopReason, finished.length > 0),
    usage: embeddedUsage({
      promptTokens: plan.promptTokens.length,
      reusedPromptTokens,
      generatedTokens,
      reasoningTokens,
    }),
    providerMetadata: {
      embedded: clock.rates(meterAfter.usedInputTokens - meterBefore.usedInputTokens, generatedTokens),
    },
  });
}

function emitCall(call: ParsedCall, tools: ToolCallPlan, emit: (part: LanguageModelV3StreamPart) => void): void {
  const problems = toolInputProblems(tools.schemas.get(call.toolName) ?? true, JSON.parse(call.input));
  if (problems !== undefined) throw new ToolInputInvalidError(call.toolName, call.input, problems);
  const toolCallId = `call_${randomUUID().replaceAll("-", "")}`;
  emit({ type: "tool-input-start", id: toolCallId, toolName: call.toolName });
  emit({ type: "tool-input-delta", id: toolCallId, delta: call.input });
  emit({ type: "tool-input-end", id: toolCallId });
  emit({ type: "tool-call", toolCallId, toolName: call.toolName, input: call.input });
}

// The free-text phase stopped on the wrapper's call marker rather than on a caller's stop sequence.
function openedCall(result: LlamaChatResponse, tools: ToolCallPlan): boolean {
  if (result.metadata.stopReason !== "customStopTrigger") return false;
  const trigger = result.metadata.customStopTrigger.filter((item) => typeof item === "string").join("");
  return trigger === tools.syntax.trigger;
}

// The history with the model's turn ending in the call opener, so the constrained phase continues the call.
function withOpener(history: ChatHistoryItem[], opener: string): ChatHistoryItem[] {
  const copy = structuredClone(history);
  const last = copy.at(-1);
  if (last?.type !== "model") return [...copy, { type: "model", response: [opener] }];
  const lastPart = last.response.at(-1);
  if (typeof lastPart === "string") last.response[last.response.length - 1] = lastPart + opener;
  else last.response.push(opener);
  return copy;
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
