// Price rows as config and the catalog write them; apart from price.ts, so reading a price loads no zod (start-up).
import { z } from "zod";

const decimalString = z
  .union([z.string(), z.number()])
  .transform((value) => String(value))
  .refine((value) => /^\d+(\.\d+)?$/.test(value), "a non-negative decimal number of USD per 1M tokens");

/** One time-of-day discount window in UTC, e.g. DeepSeek's 2025 off-peak hours 16:30-00:30. */
export const discountWindowSchema = z.object({
  fromUtc: z.string().regex(/^\d\d:\d\d$/, "HH:MM in UTC"),
  toUtc: z.string().regex(/^\d\d:\d\d$/, "HH:MM in UTC"),
  inputCacheHit: decimalString,
  inputCacheMiss: decimalString,
  output: decimalString,
});

/** USD per 1M tokens from a date on; a model's rows form its price history. */
export const priceRowSchema = z.object({
  effectiveFrom: z.string().refine((value) => !Number.isNaN(Date.parse(value)), "an ISO date such as 2025-09-29"),
  inputCacheHit: decimalString,
  inputCacheMiss: decimalString,
  output: decimalString,
  cacheWrite: decimalString.optional(),
  offPeak: discountWindowSchema.optional(),
  /** The share of these rates a provider's batch API bills (0.5: OpenAI Batch and Anthropic Message Batches). */
  batch: decimalString.optional(),
  source: z.string().optional(),
});

export type PriceRow = z.infer<typeof priceRowSchema>;
export type PriceRowInput = z.input<typeof priceRowSchema>;
