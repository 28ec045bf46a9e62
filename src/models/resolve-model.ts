import { existsSync } from "node:fs";
import path from "node:path";
import type { Catalog } from "./catalog.ts";

export type { ResolveModelOptions };

import { type ModelEntry, modelEntrySchema } from "./model-entry.ts";
import { MissingApiKeyError, UnknownModelError } from "./model-errors.ts";
import type { ProviderConnection, ProviderDescriptor } from "./providers/provider-descriptor.ts";
import { isRegisteredProvider, providerFor, registeredProviders } from "./providers/provider-registry.ts";
import type { ResolveModelOptions } from "./resolve-model-options.ts";
import { resolvedFromEntry } from "./resolved-from-entry.ts";
import type { ResolvedModel } from "./resolved-model.ts";
import { defaultRetryPolicy, retryingModel } from "./retry-policy.ts";

/** True for specs that name a local GGUF model (a .gguf path or an hf: URI). */
export const isEmbeddedSpec = (spec: string) => spec.endsWith(".gguf") || spec.startsWith("hf:");

/** The model used when none is named: the configured default, a remote model whose key is set, or the local default. */
export function defaultModelSpec(
  options: Pick<ResolveModelOptions, "defaultModel" | "env" | "providers">,
): string | undefined {
  if (options.defaultModel) return options.defaultModel;
  const keyed = registeredProviders().find(
    (provider) =>
      provider.defaultModel !== undefined &&
      ((provider.apiKeyEnv && options.env[provider.apiKeyEnv]) || options.providers?.[provider.kind]?.apiKey),
  );
  return keyed?.defaultModel;
}

/** Finds the catalog entry for a spec: an id, or provider/model for anything the catalog does not list. */
export function findEntry(catalog: Catalog, spec: string): ModelEntry {
  const known = catalog.find(spec);
  if (known) return known;
  const slash = spec.indexOf("/");
  const kind = spec.slice(0, slash);
  if (slash > 0 && isRegisteredProvider(kind) && providerFor(kind).acceptsAdHocSpecs) {
    // The provider's descriptor lends its host and key variable (an openai-compatible server gets neither).
    const provider = providerFor(kind);
    return modelEntrySchema.parse({
      id: spec,
      provider: kind,
      upstreamModel: spec.slice(slash + 1),
      baseUrl: provider.defaultBaseUrl,
      apiKeyEnv: provider.apiKeyEnv,
      contextWindow: provider.adHocLimits?.contextWindow ?? 32768,
      maxOutputTokens: provider.adHocLimits?.maxOutputTokens ?? 8192,
      capabilities: { tools: true },
      reasoningReplay: provider.reasoningReplay,
      usageSemantics: provider.usageSemantics,
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
  const provider = providerFor(entry.provider);
  const connection = remoteConnection(entry, provider, options);
  const model = retryingModel(await provider.createModel(entry, connection), options.retryPolicy ?? defaultRetryPolicy);
  const resolved = resolvedFromEntry(entry, model, provider);
  const api = provider.batchApi;
  if (!api) return resolved;
  return {
    ...resolved,
    batch: { api, connection, modelOver: (fetch) => provider.createModel(entry, { ...connection, fetch }) },
  };
}

/** --base-url, then the provider's environment variable, then config, then the catalog row; the key likewise. */
function remoteConnection(
  entry: ModelEntry,
  provider: ProviderDescriptor,
  options: ResolveModelOptions,
): ProviderConnection {
  const providerSettings = options.providers?.[entry.provider] ?? {};
  const baseUrl =
    options.baseUrl ?? provider.environmentBaseUrl?.(entry, options.env) ?? providerSettings.baseUrl ?? entry.baseUrl;
  const apiKey =
    options.apiKey ?? (entry.apiKeyEnv ? options.env[entry.apiKeyEnv] : undefined) ?? providerSettings.apiKey;
  const official = baseUrl === entry.baseUrl && baseUrl !== undefined;
  if (!apiKey && official && provider.requiresApiKey) {
    throw new MissingApiKeyError(
      entry.id,
      entry.apiKeyEnv ?? provider.apiKeyEnv ?? `${entry.provider.toUpperCase()}_API_KEY`,
      entry.provider,
    );
  }
  return { baseUrl, apiKey };
}
