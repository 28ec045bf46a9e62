import type { LanguageModelV3 } from "@ai-sdk/provider";
import { freePrice, priceAt } from "../cost/price.ts";
import type { ModelEntry } from "./model-entry.ts";
import type { ProviderDescriptor } from "./providers/provider-descriptor.ts";
import type { ResolvedModel } from "./resolved-model.ts";
import { usageOf } from "./usage-of.ts";

/** An entry and its model made a ResolvedModel, read with its provider's usage semantics and thinking options. */
export function resolvedFromEntry(
  entry: ModelEntry,
  model: LanguageModelV3,
  provider: ProviderDescriptor | undefined,
  close: () => Promise<void> = async () => {},
): ResolvedModel {
  const semantics = entry.usageSemantics ?? provider?.usageSemantics;
  return {
    entry,
    model,
    priceAt: (at) => priceAt(entry.prices, at) ?? freePrice(),
    usageOf: (usage) => usageOf(usage, semantics),
    thinkingOptions: (setting) =>
      setting === "auto" || !entry.capabilities.thinking || !provider
        ? undefined
        : provider.thinkingOptions(setting === "on", entry),
    close,
  };
}
