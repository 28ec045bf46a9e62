import { z } from "zod";

// Anthropic's prompt caching markers: tolerated and ignored (DeepSeek caches by prefix on its own).
const cacheControl = { cache_control: z.unknown().optional() };

const textBlock = z.object({ type: z.literal("text"), text: z.string(), ...cacheControl });
const imageBlock = z.object({
  type: z.literal("image"),
  source: z.object({
    type: z.literal("base64", {
      message: "only base64 image sources are taken (not URLs); download the image and send its bytes",
    }),
    media_type: z.string().min(1),
    data: z.string().min(1),
  }),
  ...cacheControl,
});
const toolUseBlock = z.object({
  type: z.literal("tool_use"),
  id: z.string().min(1),
  name: z.string().min(1),
  input: z.unknown(),
  ...cacheControl,
});
const toolResultBlock = z.object({
  type: z.literal("tool_result"),
  tool_use_id: z.string().min(1),
  content: z.union([z.string(), z.array(z.discriminatedUnion("type", [textBlock, imageBlock]))]).optional(),
  is_error: z.boolean().optional(),
  ...cacheControl,
});
/** A thinking block the gateway (or a model) answered earlier; the signature is carried, not checked. */
const thinkingBlock = z.object({ type: z.literal("thinking"), thinking: z.string(), signature: z.string().optional() });
const redactedThinkingBlock = z.object({ type: z.literal("redacted_thinking"), data: z.string() });

const contentBlock = z.discriminatedUnion("type", [
  textBlock,
  imageBlock,
  toolUseBlock,
  toolResultBlock,
  thinkingBlock,
  redactedThinkingBlock,
]);

export const anthropicMessageSchema = z.object({
  role: z.enum(["user", "assistant"]),
  content: z.union([z.string(), z.array(contentBlock)]),
});

const customTool = z.object({
  type: z
    .literal("custom", { message: "only custom tools (name, input_schema) are served, not Anthropic's server tools" })
    .optional(),
  name: z.string().regex(/^[a-zA-Z0-9_-]{1,64}$/, "1 to 64 letters, digits, _ or -"),
  description: z.string().optional(),
  input_schema: z.record(z.string(), z.unknown()),
  ...cacheControl,
});

const toolChoice = z.discriminatedUnion("type", [
  z.object({ type: z.literal("auto"), disable_parallel_tool_use: z.boolean().optional() }),
  z.object({ type: z.literal("any"), disable_parallel_tool_use: z.boolean().optional() }),
  z.object({ type: z.literal("tool"), name: z.string().min(1), disable_parallel_tool_use: z.boolean().optional() }),
  z.object({ type: z.literal("none") }),
]);

const thinking = z.discriminatedUnion("type", [
  z.object({ type: z.literal("enabled"), budget_tokens: z.number().int().positive() }),
  z.object({ type: z.literal("disabled") }),
  // The model decides: the model's own default.
  z.object({ type: z.literal("adaptive") }),
  z.object({ type: z.literal("between_tools") }),
]);

/** What a count_tokens request and a message request share: the prompt. Unknown fields are ignored. */
export const messagesPromptSchema = z.object({
  model: z.string().min(1),
  system: z.union([z.string(), z.array(textBlock)]).optional(),
  messages: z.array(anthropicMessageSchema).min(1),
  tools: z.array(customTool).max(128).optional(),
  tool_choice: toolChoice.optional(),
  thinking: thinking.optional(),
});

/** The Anthropic Messages request body, as far as the gateway reads it; `max_tokens` is required, as Anthropic's is. */
export const messagesRequestSchema = messagesPromptSchema.extend({
  max_tokens: z.number().int().positive(),
  stop_sequences: z.array(z.string()).max(16).optional(),
  temperature: z.number().min(0).max(1).optional(),
  top_p: z.number().min(0).max(1).optional(),
  top_k: z.number().int().positive().optional(),
  stream: z.boolean().optional(),
  metadata: z.object({ user_id: z.string().nullish() }).optional(),
});

export type MessagesPrompt = z.infer<typeof messagesPromptSchema>;
export type MessagesRequest = z.infer<typeof messagesRequestSchema>;
export type AnthropicMessage = z.infer<typeof anthropicMessageSchema>;
