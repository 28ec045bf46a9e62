import type { LanguageModelV3, SharedV3ProviderOptions } from "@ai-sdk/provider";
import type { UsageSemantics } from "../../cost/wire-usage.ts";
import type { ModelEntry, ReasoningReplay } from "../model-entry.ts";

/** `--thinking`: `auto` leaves the model's default, so a descriptor is only asked about `on` and `off`. */
export type ThinkingSetting = "on" | "off" | "auto";

/** Where one model's requests go and the key they carry, after flags, environment, config and catalog. */
export interface ProviderConnection {
  baseUrl: string | undefined;
  apiKey: string | undefined;
  /** Replaces the SDK's fetch: a batch captures the request bodies and replays the batch's answers through it. */
  fetch?: typeof globalThis.fetch;
}

/** A provider's asynchronous batch API at half price: OpenAI Batch or Anthropic Message Batches. */
export type BatchApi = "openai-batch" | "anthropic-message-batches";

/**
 * Everything Tansuo knows about one kind of provider (the catalog's `provider` field): a new provider is one
 * descriptor and its catalog rows. Nothing outside `models/providers/` names a provider.
 */
export interface ProviderDescriptor {
  /** The catalog's `provider` value and the prefix of ad-hoc specs (`<kind>/<model>`). */
  readonly kind: string;
  /** Host used by ad-hoc `<kind>/<model>` specs; catalog rows name their own. */
  readonly defaultBaseUrl?: string;
  /** Variable that holds the key for ad-hoc specs and in "key missing" errors; catalog rows name their own. */
  readonly apiKeyEnv?: string;
  /** Context window and output cap given to ad-hoc specs, which the catalog does not describe. */
  readonly adHocLimits?: { contextWindow: number; maxOutputTokens: number };
  /** False for providers no `<kind>/<model>` spec reaches (embedded models are named by a .gguf path). */
  readonly acceptsAdHocSpecs: boolean;
  /**
   * True when its models run in this process (loading one loads its weights; one call at a time): a server does not
   * list its catalog rows or resolve one just to check a key, and an eval runs one sample at a time.
   */
  readonly runsInProcess?: boolean;
  /** False for servers that may run without a key (a local vLLM or llama.cpp server). */
  readonly requiresApiKey: boolean;
  /** The model chosen when none is named and this provider's key is set (first such provider wins). */
  readonly defaultModel?: string;
  /** How its usage object reports prompt caching (a reader in cost/wire-usage), when the catalog row names none. */
  readonly usageSemantics?: UsageSemantics;
  /** Its batch API, when it has one (`tansuo eval --batch`). */
  readonly batchApi?: BatchApi;
  /** How reasoning is sent back in later requests, for entries that are not in the catalog. */
  readonly reasoningReplay: ReasoningReplay;
  /** A host moved by the environment (tests, proxies), e.g. DEEPSEEK_BASE_URL; only for this provider's models. */
  environmentBaseUrl?(entry: ModelEntry, env: NodeJS.ProcessEnv): string | undefined;
  /** The wire: a LanguageModelV3 for one entry (load SDKs lazily here: most runs need one provider at most). */
  createModel(entry: ModelEntry, connection: ProviderConnection): Promise<LanguageModelV3>;
  /** `--thinking on|off` in the provider's own call options; asked only for entries with the thinking capability. */
  thinkingOptions(on: boolean, entry: ModelEntry): SharedV3ProviderOptions | undefined;
}
