import type { TokenUsage } from "./usage.ts";

/** How a provider reports prompt caching in its usage object; each is pinned by tests with real wire shapes. */
export type UsageSemantics = "deepseek" | "openai" | "anthropic";

type WireObject = Record<string, unknown>;

const count = (value: unknown): number | undefined =>
  typeof value === "number" && Number.isFinite(value) && value >= 0 ? Math.round(value) : undefined;

const object = (value: unknown): WireObject =>
  value !== null && typeof value === "object" ? (value as WireObject) : {};

/**
 * Turns a provider's raw `usage` object into normalised token counts.
 * A usage with no cache split is counted as all cache miss: never bill less than the provider may charge.
 */
export function usageFromWire(semantics: UsageSemantics, rawUsage: unknown): TokenUsage {
  const usage = object(rawUsage);
  switch (semantics) {
    case "deepseek":
      return deepSeekUsage(usage);
    case "openai":
      return openAiUsage(usage);
    case "anthropic":
      return anthropicUsage(usage);
  }
}

// DeepSeek: prompt_tokens = prompt_cache_hit_tokens + prompt_cache_miss_tokens; reasoning is inside completion_tokens.
function deepSeekUsage(usage: WireObject): TokenUsage {
  const hit = count(usage.prompt_cache_hit_tokens);
  const miss = count(usage.prompt_cache_miss_tokens);
  if (hit === undefined && miss === undefined) return openAiUsage(usage);
  const cacheHitTokens = hit ?? 0;
  const inputTokens = count(usage.prompt_tokens) ?? cacheHitTokens + (miss ?? 0);
  return {
    inputTokens,
    cacheHitTokens,
    cacheMissTokens: miss ?? inputTokens - cacheHitTokens,
    cacheWriteTokens: 0,
    outputTokens: count(usage.completion_tokens) ?? 0,
    reasoningTokens: count(object(usage.completion_tokens_details).reasoning_tokens) ?? 0,
  };
}

// OpenAI: cached_tokens is a part of prompt_tokens (Chat Completions) or input_tokens (Responses API).
function openAiUsage(usage: WireObject): TokenUsage {
  const inputTokens = count(usage.prompt_tokens) ?? count(usage.input_tokens) ?? 0;
  const cached =
    count(object(usage.prompt_tokens_details).cached_tokens) ??
    count(object(usage.input_tokens_details).cached_tokens) ??
    0;
  const cacheHitTokens = Math.min(cached, inputTokens);
  const outputDetails = object(usage.completion_tokens_details ?? usage.output_tokens_details);
  return {
    inputTokens,
    cacheHitTokens,
    cacheMissTokens: inputTokens - cacheHitTokens,
    cacheWriteTokens: 0,
    outputTokens: count(usage.completion_tokens) ?? count(usage.output_tokens) ?? 0,
    reasoningTokens: count(outputDetails.reasoning_tokens) ?? 0,
  };
}

// Anthropic: input_tokens excludes cache reads and cache writes, which are reported (and billed) apart.
function anthropicUsage(usage: WireObject): TokenUsage {
  const uncached = count(usage.input_tokens) ?? 0;
  const cacheHitTokens = count(usage.cache_read_input_tokens) ?? 0;
  const cacheWriteTokens = count(usage.cache_creation_input_tokens) ?? 0;
  return {
    inputTokens: uncached + cacheHitTokens + cacheWriteTokens,
    cacheHitTokens,
    cacheMissTokens: uncached,
    cacheWriteTokens,
    outputTokens: count(usage.output_tokens) ?? 0,
    reasoningTokens: 0,
  };
}
