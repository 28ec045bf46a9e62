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

/**
 * DEEPSEEK_BASE_URL and OPENAI_BASE_URL move only the provider they name (and ad-hoc openai-compatible/<model>
 * specs): a catalog model on another host (DashScope, Ark) keeps its host, so its key never goes elsewhere.
 */
function environmentBaseUrl(entry: ModelEntry, env: NodeJS.ProcessEnv): string | undefined {
  if (entry.provider === "deepseek") return env.DEEPSEEK_BASE_URL;
  if (entry.provider === "openai") return env.OPENAI_BASE_URL;
  if (entry.provider === "openai-compatible" && entry.baseUrl === undefined) return env.OPENAI_BASE_URL;
  return undefined;
}

/** True for specs that name a local GGUF model (a .gguf path or an hf: URI). */
export const isEmbeddedSpec = (spec: string) => spec.endsWith(".gguf") || spec.startsWith("hf:");

/** The model used when none is named: the configured default, a remote model whose key is set, or the local default. */
export function defaultModelSpec(
  options: Pick<ResolveModelOptions, "defaultModel" | "env" | "providers">,
): string | undefined {
  if (options.defaultModel) return options.defaultModel;
  if (options.env.DEEPSEEK_API_KEY || options.providers?.deepseek?.apiKey) return "deepseek-v4-flash";
  if (options.env.OPENAI_API_KEY || options.providers?.openai?.apiKey) return "gpt-5-mini";
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
    // Official providers lend their host and key variable; an openai-compatible server gets neither from a
    // catalog entry (that would send, say, a DashScope key to whatever server the user points at).
    const template = kind === "openai-compatible" ? undefined : catalog.list().find((entry) => entry.provider === kind);
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
      notes: "Not in the catalog: no price is known, so cost is counted as zero and a --budget is refused.",
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
  const baseUrl =
    options.baseUrl ?? environmentBaseUrl(entry, options.env) ?? providerSettings.baseUrl ?? entry.baseUrl;
  const apiKey =
    options.apiKey ?? (entry.apiKeyEnv ? options.env[entry.apiKeyEnv] : undefined) ?? providerSettings.apiKey;
  const official = baseUrl === entry.baseUrl && baseUrl !== undefined;
  if (!apiKey && official && entry.provider !== "openai-compatible") {
    throw new MissingApiKeyError(
      entry.id,
      entry.apiKeyEnv ?? `${entry.provider.toUpperCase()}_API_KEY`,
      entry.provider,
    );
  }
  switch (entry.provider) {
    case "deepseek":
    case "openai-compatible":
      if (!baseUrl) {
        throw new UnknownModelError(`${entry.id} (no base URL: pass --base-url or set OPENAI_BASE_URL)`);
      }
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
