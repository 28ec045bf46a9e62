import { z } from "zod";
import { priceRowSchema } from "../cost/price-row-schema.ts";
import { tokenizerNames } from "./tokenizers/tokenizer-names.ts";

export const capabilitiesSchema = z.object({
  tools: z.boolean().default(false),
  thinking: z.boolean().default(false),
  toolsInThinking: z.boolean().default(false),
  vision: z.boolean().default(false),
  jsonMode: z.boolean().default(false),
  fim: z.boolean().default(false),
});

/**
 * What to do with an assistant message's reasoning when it is sent back:
 * `strip` drops it everywhere (legacy R1 answers 400 if it is present),
 * `tool-turns` sends it back on every assistant message that made tool calls (V3.2+ answers 400 if it is missing),
 * `all` sends it back on every assistant message.
 */
export const reasoningReplaySchema = z.enum(["strip", "tool-turns", "all"]);
export type ReasoningReplay = z.infer<typeof reasoningReplaySchema>;

/** How the model's thinking mode is switched: by choosing the model, or by DeepSeek's `thinking` request field. */
export const thinkingToggleSchema = z.enum(["none", "always-on", "request-field"]);

export const modelEntrySchema = z.object({
  id: z.string().min(1),
  /** A registered provider kind (models/providers/): deepseek, openai, anthropic, google, openai-compatible, embedded. */
  provider: z.string().min(1),
  upstreamModel: z.string().min(1),
  baseUrl: z.string().url().optional(),
  /** Environment variable that holds the API key for this model. */
  apiKeyEnv: z.string().optional(),
  contextWindow: z.number().int().positive(),
  maxOutputTokens: z.number().int().positive(),
  /** Output allowance used when the caller sets none. */
  defaultOutputTokens: z.number().int().positive().optional(),
  capabilities: capabilitiesSchema.default({
    tools: false,
    thinking: false,
    toolsInThinking: false,
    vision: false,
    jsonMode: false,
    fim: false,
  }),
  reasoningReplay: reasoningReplaySchema.default("tool-turns"),
  thinkingToggle: thinkingToggleSchema.default("none"),
  usageSemantics: z.enum(["deepseek", "openai", "anthropic"]).optional(),
  prices: z.array(priceRowSchema).default([]),
  retiredAt: z.string().optional(),
  notes: z.string().optional(),
  /** The tokenizer family prompts are counted with (models/tokenizers/); without one the byte bound is used. */
  tokenizer: z.enum(tokenizerNames).optional(),
  /** Models a call moves to, in order, when this one is down (connection, 5xx, 429 past retries, overloaded). */
  fallbacks: z.array(z.string().min(1)).optional(),
});

export type ModelEntry = z.infer<typeof modelEntrySchema>;
export type ModelEntryInput = z.input<typeof modelEntrySchema>;
