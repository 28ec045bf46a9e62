import { randomBytes } from "node:crypto";
import type { TokenCounter } from "./token-count.ts";
import type { FinishReason, ScriptedCompletion } from "./types.ts";

export interface ResolvedToolCall {
  id: string;
  name: string;
  arguments: string;
}

/** A scripted completion with every default filled in, shared by the plain and the streaming answer. */
export interface ResolvedCompletion {
  content: string | null;
  reasoningContent: string | null;
  toolCalls: ResolvedToolCall[];
  finishReason: FinishReason;
  usage: WireUsage;
}

/** DeepSeek's usage object; `completion_tokens_details` is always sent, with 0 when there is no reasoning. */
export interface WireUsage {
  prompt_tokens: number;
  completion_tokens: number;
  total_tokens: number;
  prompt_cache_hit_tokens: number;
  prompt_cache_miss_tokens: number;
  completion_tokens_details: { reasoning_tokens: number };
}

const idAlphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

// DeepSeek V3.1+ tool call ids look like `call_00_GYJmLJt1e4JyzGTBbAiLQ0Zf`.
function toolCallId(index: number): string {
  const suffix = Array.from(randomBytes(24), (byte) => idAlphabet[byte % idAlphabet.length]).join("");
  return `call_${String(index).padStart(2, "0")}_${suffix}`;
}

// About 4 characters per token: deterministic, and close enough for budget arithmetic in tests.
const estimateTokens = (text: string): number => Math.ceil(text.length / 4);

export function resolveCompletion(
  reply: ScriptedCompletion,
  request: Record<string, unknown>,
  cachedTokens?: number,
  counter?: TokenCounter,
): ResolvedCompletion {
  const toolCalls = (reply.toolCalls ?? []).map((call, index) => ({
    id: call.id ?? toolCallId(index),
    name: call.name,
    arguments: typeof call.arguments === "string" ? call.arguments : JSON.stringify(call.arguments),
  }));
  const content = reply.content === undefined ? "" : reply.content;
  const reasoningContent = reply.reasoningContent ?? null;

  const promptTokens =
    reply.usage?.promptTokens ??
    counter?.prompt(request) ??
    Math.max(1, estimateTokens(JSON.stringify(request.messages ?? [])));
  const cacheHitTokens = reply.usage?.cacheHitTokens ?? Math.min(cachedTokens ?? 0, promptTokens);
  const cacheMissTokens = Math.max(0, promptTokens - cacheHitTokens);
  const reasoningTokens =
    reply.usage?.reasoningTokens ??
    (counter ? counter.text(reasoningContent ?? "") : estimateTokens(reasoningContent ?? ""));
  const answerText = (content ?? "") + toolCalls.map((call) => call.name + call.arguments).join("");
  const completionTokens =
    reply.usage?.completionTokens ??
    (counter ? counter.completion(content, reasoningContent, toolCalls) : reasoningTokens + estimateTokens(answerText));

  return {
    content,
    reasoningContent,
    toolCalls,
    finishReason: reply.finishReason ?? (toolCalls.length > 0 ? "tool_calls" : "stop"),
    usage: {
      prompt_tokens: cacheHitTokens + cacheMissTokens,
      completion_tokens: completionTokens,
      total_tokens: cacheHitTokens + cacheMissTokens + completionTokens,
      prompt_cache_hit_tokens: cacheHitTokens,
      prompt_cache_miss_tokens: cacheMissTokens,
      completion_tokens_details: { reasoning_tokens: reasoningTokens },
    },
  };
}
