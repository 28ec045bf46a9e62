import type { LanguageModelV3, LanguageModelV3Usage, SharedV3ProviderOptions } from "@ai-sdk/provider";
import type { AppliedPrice } from "../cost/price.ts";
import type { TokenUsage } from "../cost/usage.ts";
import type { ModelEntry } from "./model-entry.ts";
import type { BatchApi, ProviderConnection, ThinkingSetting } from "./providers/provider-descriptor.ts";

/** What a batch needs of a remote model whose provider has a batch API. */
export interface BatchAccess {
  api: BatchApi;
  /** The host and key the model's own calls use. */
  connection: ProviderConnection;
  /** The same model over another fetch (no retries: the fetch is local), to capture requests or replay answers. */
  modelOver(fetch: typeof globalThis.fetch): Promise<LanguageModelV3>;
}

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
  /** Present when the provider has a batch API (`tansuo eval --batch`). */
  batch?: BatchAccess;
  /** Frees what the model holds (an embedded model's weights); remote models hold nothing. */
  close(): Promise<void>;
}
