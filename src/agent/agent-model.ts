import path from "node:path";
import type { LanguageModelV3 } from "@ai-sdk/provider";
import type { Settings } from "../config/settings-schema.ts";
import { freePrice, type PriceRowInput, priceAt, priceRowSchema } from "../cost/price.ts";
import { Catalog } from "../models/catalog.ts";
import { modelEntrySchema } from "../models/model-entry.ts";
import { resolveModel } from "../models/resolve-model.ts";
import type { ResolvedModel } from "../models/resolved-model.ts";
import { defaultRetryPolicy } from "../models/retry-policy.ts";
import { usageOf } from "../models/usage-of.ts";
import type { AgentRuntime } from "./runtime.ts";

/** A model given as an instance (a ScriptedModel, an AI SDK provider's model) and what the catalog would know. */
export interface ModelInstanceOptions {
  /** Dated price per 1M tokens, so cost and budgets work; without it the model costs $0 and cannot run under a budget. */
  price?: PriceRowInput;
  contextWindow?: number;
  maxOutputTokens?: number;
}

/** The run's model name and how the runtime resolves it: a spec through the catalog, or the given instance. */
export function agentModel(
  model: string | LanguageModelV3,
  options: ModelInstanceOptions & { settings: Settings; env: NodeJS.ProcessEnv; home: string },
): { spec: string; resolveModel: AgentRuntime["resolveModel"] } {
  if (typeof model === "string") {
    const catalog = Catalog.builtIn().withOverrides(options.settings.models);
    return {
      spec: model,
      resolveModel: (spec, resolveOptions) =>
        resolveModel(spec, {
          catalog,
          env: options.env,
          modelsDirectory: path.join(options.home, "models"),
          defaultModel: options.settings.defaultModel,
          providers: options.settings.providers,
          baseUrl: resolveOptions.baseUrl,
          retryPolicy: resolveOptions.retryPolicy ?? defaultRetryPolicy,
        }),
    };
  }
  const prices = options.price ? [priceRowSchema.parse(options.price)] : [];
  const entry = modelEntrySchema.parse({
    id: model.modelId,
    provider: "openai-compatible",
    upstreamModel: model.modelId,
    contextWindow: options.contextWindow ?? 128_000,
    maxOutputTokens: options.maxOutputTokens ?? 8192,
    prices,
  });
  const resolved: ResolvedModel = {
    entry,
    model,
    priceAt: (at) => priceAt(prices, at) ?? freePrice(),
    usageOf: (usage) => usageOf(usage, undefined),
    close: async () => {},
  };
  return { spec: model.modelId, resolveModel: async () => resolved };
}
