import type { LanguageModelV3, LanguageModelV3Usage, SharedV3ProviderOptions } from "@ai-sdk/provider";
import type { AppliedPrice } from "../cost/price.ts";
import type { TokenUsage } from "../cost/usage.ts";
import type { ModelEntry } from "./model-entry.ts";
import type { ThinkingSetting } from "./providers/provider-descriptor.ts";

/** A catalog entry made callable: the model, its prices and its usage semantics, ready for one run. */
export interface ResolvedModel {
  /** The catalog entry (an embedded GGUF model gets a synthetic entry with a zero price). */
  entry: ModelEntry;
  /** The provider model; Tansuo calls `doStream` / `doGenerate` on it directly. */
  model: LanguageModelV3;
  /** The price in force at an instant (history and off-peak windows resolved). */
  priceAt(at: Date): AppliedPrice;
  /** Normalised token counts of one call, read with the provider's own cache semantics. */
  usageOf(usage: LanguageModelV3Usage): TokenUsage;
  /** `--thinking` as this provider's call options; a model without it takes no thinking setting. */
  thinkingOptions?(setting: ThinkingSetting): SharedV3ProviderOptions | undefined;
  /** Frees what the model holds (an embedded model's weights); remote models hold nothing. */
  close(): Promise<void>;
}
