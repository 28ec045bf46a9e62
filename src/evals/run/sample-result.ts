import { z } from "zod";

export const sampleStatuses = ["passed", "failed", "error"] as const;
export type SampleStatus = (typeof sampleStatuses)[number];

const usageSchema = z.object({
  inputTokens: z.number(),
  cacheHitTokens: z.number(),
  cacheMissTokens: z.number(),
  cacheWriteTokens: z.number(),
  outputTokens: z.number(),
  reasoningTokens: z.number(),
});

/**
 * One line of results.jsonl: one sample of one task. `failed` is a wrong answer (no code counts as wrong);
 * `error` means the model call itself failed, which a rerun with the same --out retries.
 */
export const sampleResultSchema = z.looseObject({
  suite: z.string(),
  model: z.string(),
  taskId: z.string(),
  category: z.string().optional(),
  sample: z.number().int().nonnegative(),
  status: z.enum(sampleStatuses),
  /** The model's raw answer text (with --reference: null). */
  answer: z.string().nullable(),
  /** The code that ran, or the tool calls as JSON. */
  completion: z.string().nullable(),
  error: z.string().nullable(),
  errorType: z.string().nullable().optional(),
  finishReason: z.string().nullable().optional(),
  usage: usageSchema,
  costUsd: z.string(),
  latencyMs: z.number().nullable(),
  temperature: z.number().nullable(),
  scoredAt: z.string(),
});

export type SampleResult = z.infer<typeof sampleResultSchema>;

export const sampleKey = (result: Pick<SampleResult, "taskId" | "sample">) => `${result.taskId}#${result.sample}`;
export const isFinished = (result: Pick<SampleResult, "status">) => result.status !== "error";
