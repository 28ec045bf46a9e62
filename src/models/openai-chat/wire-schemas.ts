import { z } from "zod";

// Only the fields the model reads are checked, loosely (unknown fields kept), so a chunk costs one small parse.
// Optional fields also accept null: OpenAI-compatible servers (vLLM, llama.cpp, Ollama) send null for "absent".

const tokenCount = z.number().nonnegative().nullish();

/** A `usage` object under any of the three usage semantics; a count that is not a number would bill zero. */
const wireUsage = z.looseObject({
  prompt_tokens: tokenCount,
  completion_tokens: tokenCount,
  total_tokens: tokenCount,
  prompt_cache_hit_tokens: tokenCount,
  prompt_cache_miss_tokens: tokenCount,
  input_tokens: tokenCount,
  output_tokens: tokenCount,
  cache_read_input_tokens: tokenCount,
  cache_creation_input_tokens: tokenCount,
  prompt_tokens_details: z.looseObject({ cached_tokens: tokenCount }).nullish(),
  input_tokens_details: z.looseObject({ cached_tokens: tokenCount }).nullish(),
  completion_tokens_details: z.looseObject({ reasoning_tokens: tokenCount }).nullish(),
  output_tokens_details: z.looseObject({ reasoning_tokens: tokenCount }).nullish(),
});

const wireToolCall = z.looseObject({
  index: z.number().int().nonnegative().nullish(),
  id: z.string().nullish(),
  function: z.looseObject({ name: z.string().nullish(), arguments: z.string().nullish() }).nullish(),
});

const wireMessage = z.looseObject({
  content: z.string().nullish(),
  reasoning_content: z.string().nullish(),
  tool_calls: z.array(wireToolCall).nullish(),
});

const answerHeader = {
  id: z.string().nullish(),
  model: z.string().nullish(),
  created: z.number().nullish(),
  usage: wireUsage.nullish(),
};

/** A non-streamed chat completion: at least one choice, each with a message. */
export const chatCompletionSchema = z.looseObject({
  ...answerHeader,
  choices: z
    .array(z.looseObject({ finish_reason: z.string().nullish(), message: wireMessage }))
    .min(1, "the answer has no choices"),
});

/** One streamed chunk; the last one may carry only usage, with no choices. */
export const chatCompletionChunkSchema = z.looseObject({
  ...answerHeader,
  choices: z.array(z.looseObject({ finish_reason: z.string().nullish(), delta: wireMessage.nullish() })).nullish(),
});

export type ChatCompletion = z.infer<typeof chatCompletionSchema>;
export type ChatCompletionChunk = z.infer<typeof chatCompletionChunkSchema>;
export type WireToolCall = z.infer<typeof wireToolCall>;
