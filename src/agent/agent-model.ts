import path from "node:path";
import type { LanguageModelV3 } from "@ai-sdk/provider";
import type { Settings } from "../config/settings-schema.ts";
import { Catalog } from "../models/catalog.ts";
import { type ModelInstanceOptions, resolvedModelInstance } from "../models/model-instance.ts";
import { resolveModel } from "../models/resolve-model.ts";
import { defaultRetryPolicy } from "../models/retry-policy.ts";
import type { AgentRuntime } from "./runtime.ts";

export type { ModelInstanceOptions };

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
  const resolved = resolvedModelInstance(model, options);
  return { spec: model.modelId, resolveModel: async () => resolved };
}
