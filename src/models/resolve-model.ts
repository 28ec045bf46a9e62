import { existsSync } from "node:fs";
import path from "node:path";
import type { LanguageModelV3 } from "@ai-sdk/provider";
import { freePrice, priceAt } from "../cost/price.ts";
import type { Catalog } from "./catalog.ts";

export type { ResolveModelOptions };

import { type ModelEntry, modelEntrySchema, type ProviderKind, providerKinds } from "./model-entry.ts";
import { MissingApiKeyError, UnknownModelError } from "./model-errors.ts";
import { OpenAiChatLanguageModel } from "./openai-chat/openai-chat-language-model.ts";
import type { ResolveModelOptions } from "./resolve-model-options.ts";
import type { ResolvedModel } from "./resolved-model.ts";
import { defaultRetryPolicy, retryingModel } from "./retry-policy.ts";
import { usageOf } from "./usage-of.ts";

const baseUrlEnvironment: Partial<Record<ProviderKind, string>> = {
  deepseek: "DEEPSEEK_BASE_URL",
  openai: "OPENAI_BASE_URL",
  "openai-compatible": "OPENAI_BASE_URL",
};

/** True for specs that name a local GGUF model (a .gguf path or an hf: URI). */
export const isEmbeddedSpec = (spec: string) => spec.endsWith(".gguf") || spec.startsWith("hf:");

/** The model used when none is named: the configured default, a remote model whose key is set, or the local default. */
export function defaultModelSpec(options: Pick<ResolveModelOptions, "defaultModel" | "env">): string | undefined {
  if (options.defaultModel) return options.defaultModel;
  if (options.env.DEEPSEEK_API_KEY) return "deepseek-v4-flash";
  if (options.env.OPENAI_API_KEY) return "gpt-5-mini";
  return undefined;
}

/** Finds the catalog entry for a spec: an id, or provider/model for anything the catalog does not list. */
export function findEntry(catalog: Catalog, spec: string): ModelEntry {
  const known = catalog.find(spec);
  if (known) return known;
  const slash = spec.indexOf("/");
  const kind = spec.slice(0, slash) as ProviderKind;
  if (slash > 0 && providerKinds.includes(kind) && kind !== "embedded") {
    const upstreamModel = spec.slice(slash + 1);
    const template = catalog.list().find((entry) => entry.provider === kind);
    return modelEntrySchema.parse({
      id: spec,
      provider: kind,
      upstreamModel,
      baseUrl: template?.baseUrl,
      apiKeyEnv: template?.apiKeyEnv,
      contextWindow: template?.contextWindow ?? 32768,
      maxOutputTokens: template?.maxOutputTokens ?? 8192,
      capabilities: { tools: true },
      usageSemantics: template?.usageSemantics,
      notes: "Not in the catalog: no price is known, so cost is counted as zero and budgets cannot be enforced.",
    });
  }
  throw new UnknownModelError(spec);
}

export async function resolveModel(spec: string | undefined, options: ResolveModelOptions): Promise<ResolvedModel> {
  const chosen = spec ?? defaultModelSpec(options);
  if (chosen === undefined || isEmbeddedSpec(chosen) || (chosen.includes(path.sep) && existsSync(chosen))) {
    const { resolveEmbeddedModel } = await import("./embedded-resolution.ts");
    return resolveEmbeddedModel(chosen, options);
  }
  const entry = findEntry(options.catalog, chosen);
  const model = retryingModel(await remoteModel(entry, options), options.retryPolicy ?? defaultRetryPolicy);
  return {
    entry,
    model,
    priceAt: (at) => priceAt(entry.prices, at) ?? freePrice(),
    usageOf: (usage) => usageOf(usage, entry.usageSemantics),
    close: async () => {},
  };
}

// Official SDK providers load on first use: most runs need one of them at most, and startup time matters.
async function remoteModel(entry: ModelEntry, options: ResolveModelOptions): Promise<LanguageModelV3> {
  const providerSettings = options.providers?.[entry.provider] ?? {};
  const environmentBaseUrl = baseUrlEnvironment[entry.provider];
  const baseUrl =
    options.baseUrl ??
    (environmentBaseUrl ? options.env[environmentBaseUrl] : undefined) ??
    providerSettings.baseUrl ??
    entry.baseUrl;
  const apiKey =
    options.apiKey ?? (entry.apiKeyEnv ? options.env[entry.apiKeyEnv] : undefined) ?? providerSettings.apiKey;
  const official = baseUrl === entry.baseUrl && baseUrl !== undefined && !baseUrl.includes("127.0.0.1");
  if (!apiKey && official && entry.provider !== "openai-compatible") {
    throw new MissingApiKeyError(entry.id, entry.apiKeyEnv ?? `${entry.provider.toUpperCase()}_API_KEY`);
  }
  switch (entry.provider) {
    case "deepseek":
    case "openai-compatible":
      if (!baseUrl) throw new UnknownModelError(`${entry.id} (no base URL: pass --base-url)`);
      return new OpenAiChatLanguageModel({
        provider: entry.provider,
        upstreamModel: entry.upstreamModel,
        baseUrl,
        apiKey,
        reasoningReplay: entry.reasoningReplay,
        usageSemantics: entry.usageSemantics ?? (entry.provider === "deepseek" ? "deepseek" : "openai"),
        thinkingRequestField: entry.thinkingToggle === "request-field",
      });
    case "openai": {
      const { createOpenAI } = await import("@ai-sdk/openai");
      return createOpenAI({ apiKey, baseURL: baseUrl }).chat(entry.upstreamModel);
    }
    case "anthropic": {
      const { createAnthropic } = await import("@ai-sdk/anthropic");
      return createAnthropic({ apiKey, baseURL: baseUrl }).languageModel(entry.upstreamModel);
    }
    case "google": {
      const { createGoogleGenerativeAI } = await import("@ai-sdk/google");
      return createGoogleGenerativeAI({ apiKey, baseURL: baseUrl }).languageModel(entry.upstreamModel);
    }
    case "embedded":
      throw new UnknownModelError(entry.id);
  }
}
