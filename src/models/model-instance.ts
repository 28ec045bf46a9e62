import type { LanguageModelV3 } from "@ai-sdk/provider";
import { type PriceRowInput, priceRowSchema } from "../cost/price-row-schema.ts";
import { modelEntrySchema } from "./model-entry.ts";
import { openAiCompatibleProvider } from "./providers/openai-compatible-provider.ts";
import { resolvedFromEntry } from "./resolved-from-entry.ts";
import type { ResolvedModel } from "./resolved-model.ts";

/** A model given as an instance (a ScriptedModel, an AI SDK provider's model) and what the catalog would know. */
export interface ModelInstanceOptions {
  /** Dated price per 1M tokens, so cost and budgets work; without it the model costs $0 and cannot run under a budget. */
  price?: PriceRowInput;
  contextWindow?: number;
  maxOutputTokens?: number;
  /** The model reads images (tasks' images, images tools return); false unless said. */
  vision?: boolean;
}

/** A model instance with a synthetic entry: no thinking capability, usage read from the AI SDK's split. */
export function resolvedModelInstance(model: LanguageModelV3, options: ModelInstanceOptions): ResolvedModel {
  const entry = modelEntrySchema.parse({
    id: model.modelId,
    provider: openAiCompatibleProvider.kind,
    upstreamModel: model.modelId,
    contextWindow: options.contextWindow ?? 128_000,
    maxOutputTokens: options.maxOutputTokens ?? 8192,
    capabilities: { vision: options.vision ?? false },
    prices: options.price ? [priceRowSchema.parse(options.price)] : [],
  });
  return resolvedFromEntry(entry, model, undefined);
}
