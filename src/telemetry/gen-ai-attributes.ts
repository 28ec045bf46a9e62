import type { Attributes } from "@opentelemetry/api";
import type { TokenUsage } from "../cost/usage.ts";

// Names from the OpenTelemetry GenAI semantic conventions (gen_ai.*), plus Tansuo's own (tansuo.*).
export const genAi = {
  operationName: "gen_ai.operation.name",
  providerName: "gen_ai.provider.name",
  agentName: "gen_ai.agent.name",
  conversationId: "gen_ai.conversation.id",
  requestModel: "gen_ai.request.model",
  requestMaxTokens: "gen_ai.request.max_tokens",
  responseModel: "gen_ai.response.model",
  responseFinishReasons: "gen_ai.response.finish_reasons",
  inputTokens: "gen_ai.usage.input_tokens",
  outputTokens: "gen_ai.usage.output_tokens",
  cacheReadInputTokens: "gen_ai.usage.cache_read.input_tokens",
  cacheCreationInputTokens: "gen_ai.usage.cache_creation.input_tokens",
  inputMessages: "gen_ai.input.messages",
  outputMessages: "gen_ai.output.messages",
  toolName: "gen_ai.tool.name",
  toolCallId: "gen_ai.tool.call.id",
  toolType: "gen_ai.tool.type",
  toolCallArguments: "gen_ai.tool.call.arguments",
  toolCallResult: "gen_ai.tool.call.result",
  errorType: "error.type",
} as const;

export const tansuoAttributes = {
  runId: "tansuo.run.id",
  runStatus: "tansuo.run.status",
  step: "tansuo.step",
  costUsd: "tansuo.cost_usd",
  reasoningTokens: "tansuo.usage.reasoning_tokens",
  estimated: "tansuo.usage.estimated",
} as const;

// The conventions' well-known provider names; other kinds (openai-compatible, embedded) are named as they are.
const providerNames: Record<string, string> = {
  deepseek: "deepseek",
  openai: "openai",
  anthropic: "anthropic",
  google: "gcp.gemini",
};

export const providerName = (kind: string): string => providerNames[kind] ?? kind;

/** Token counts as the conventions name them: input counts every prompt token, cache reads included. */
export function usageAttributes(usage: TokenUsage, costUsd: string): Attributes {
  return {
    [genAi.inputTokens]: usage.inputTokens,
    [genAi.outputTokens]: usage.outputTokens,
    [genAi.cacheReadInputTokens]: usage.cacheHitTokens,
    ...(usage.cacheWriteTokens > 0 ? { [genAi.cacheCreationInputTokens]: usage.cacheWriteTokens } : {}),
    [tansuoAttributes.reasoningTokens]: usage.reasoningTokens,
    // A decimal string, as the store keeps it: a float would round it.
    [tansuoAttributes.costUsd]: costUsd,
  };
}
