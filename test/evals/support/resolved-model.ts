import { freePrice, priceAt } from "../../../src/cost/price.ts";
import { type ModelEntryInput, modelEntrySchema } from "../../../src/models/model-entry.ts";
import type { ResolvedModel } from "../../../src/models/resolved-model.ts";
import { usageOf } from "../../../src/models/usage-of.ts";
import type { ScriptedModel } from "../../../src/testing/index.ts";

/** DeepSeek-like prices in USD per 1M tokens, for cost assertions: hit 0.07, miss 0.27, output 1.10. */
export const testPrices = [
  { effectiveFrom: "2024-01-01", inputCacheHit: "0.07", inputCacheMiss: "0.27", output: "1.10" },
];

/** A ResolvedModel around a scripted model, built by hand with a catalog entry and prices. */
export function resolvedScriptedModel(
  model: ScriptedModel,
  entry: Partial<ModelEntryInput> = {},
): ResolvedModel & {
  closed: () => boolean;
} {
  const parsed = modelEntrySchema.parse({
    id: "scripted-model",
    provider: "openai-compatible",
    upstreamModel: "scripted",
    contextWindow: 32_000,
    maxOutputTokens: 4096,
    prices: testPrices,
    ...entry,
  });
  let closed = false;
  return {
    entry: parsed,
    model,
    priceAt: (at) => priceAt(parsed.prices, at) ?? freePrice(),
    usageOf: (usage) => usageOf(usage, undefined),
    close: async () => {
      closed = true;
    },
    closed: () => closed,
  };
}
