import { z } from "zod";

const inputText = z.object({ type: z.literal("input_text"), text: z.string() });
const inputImage = z.object({
  type: z.literal("input_image"),
  image_url: z.string().min(1, "give the image as a base64 data URL"),
  detail: z.string().nullish(),
});
/** An assistant turn sent back as the API gave it (`output_text`), or a refusal it made. */
const outputText = z.object({ type: z.literal("output_text"), text: z.string() });
const refusal = z.object({ type: z.literal("refusal"), refusal: z.string() });

const messageContent = z.union([
  z.string(),
  z.array(z.discriminatedUnion("type", [inputText, inputImage, outputText, refusal])),
]);

const messageItem = z.object({
  type: z.literal("message"),
  role: z.enum(["user", "assistant", "system", "developer"]),
  content: messageContent,
});

const functionCallItem = z.object({
  type: z.literal("function_call"),
  call_id: z.string().min(1),
  name: z.string().min(1),
  arguments: z.string(),
  id: z.string().nullish(),
});

const functionCallOutputItem = z.object({
  type: z.literal("function_call_output"),
  call_id: z.string().min(1),
  output: z.union([z.string(), z.array(z.discriminatedUnion("type", [inputText, inputImage]))]),
});

/** The model's thinking, sent back so a thinking model can continue a tool-calling turn (DeepSeek requires it). */
const reasoningItem = z.object({
  type: z.literal("reasoning"),
  id: z.string().nullish(),
  summary: z.array(z.object({ type: z.literal("summary_text"), text: z.string() })).default([]),
  content: z.array(z.object({ type: z.literal("reasoning_text"), text: z.string() })).nullish(),
});

export const responsesInputItemSchema = z.preprocess(
  // A message may leave out `type` (the API's "easy" input message).
  (item) =>
    item !== null && typeof item === "object" && !("type" in item) && "role" in item
      ? { ...item, type: "message" }
      : item,
  z.discriminatedUnion("type", [messageItem, functionCallItem, functionCallOutputItem, reasoningItem]),
);

const functionTool = z.object({
  type: z.literal("function"),
  name: z.string().regex(/^[a-zA-Z0-9_-]{1,64}$/, "1 to 64 letters, digits, _ or -"),
  description: z.string().nullish(),
  parameters: z.record(z.string(), z.unknown()).nullish(),
  strict: z.boolean().nullish(),
});

const toolChoice = z.union([
  z.enum(["none", "auto", "required"]),
  z.object({ type: z.literal("function"), name: z.string().min(1) }),
]);

/** The OpenAI Responses API request body, as far as the gateway reads it; unknown fields are ignored. */
export const responsesRequestSchema = z.object({
  model: z.string().min(1),
  input: z.union([z.string(), z.array(responsesInputItemSchema)]),
  instructions: z.string().nullish(),
  tools: z.array(functionTool).max(128).nullish(),
  tool_choice: toolChoice.nullish(),
  max_output_tokens: z.number().int().positive().nullish(),
  temperature: z.number().min(0).max(2).nullish(),
  top_p: z.number().min(0).max(1).nullish(),
  stream: z.boolean().nullish(),
  previous_response_id: z.string().min(1).nullish(),
  /** Default true: the answer is kept so a later request can name it as `previous_response_id`. */
  store: z.boolean().nullish(),
  /** The effort knob; mapped to thinking on or off for models that have it (see reasoning-effort.ts). */
  reasoning: z.object({ effort: z.enum(["none", "minimal", "low", "medium", "high"]).nullish() }).nullish(),
  parallel_tool_calls: z.boolean().nullish(),
  metadata: z.record(z.string(), z.string()).nullish(),
});

export type ResponsesRequest = z.infer<typeof responsesRequestSchema>;
export type ResponsesInputItem = z.infer<typeof responsesInputItemSchema>;
