import path from "node:path";
import type { Settings } from "../src/config/settings-schema.ts";
import { Catalog } from "../src/models/catalog.ts";
import { resolveModel } from "../src/models/resolve-model.ts";

/** How a campaign's gateway resolves models: the catalog with the config's overrides, the fake upstream's key, no retries. */
export function campaignModelResolver(settings: Settings, options: { apiKey: string; home: string }) {
  const catalog = Catalog.builtIn().withOverrides(settings.models);
  const resolve = (spec: string) =>
    resolveModel(spec, {
      catalog,
      env: { DEEPSEEK_API_KEY: options.apiKey },
      modelsDirectory: path.join(options.home, "models"),
      retryPolicy: { maxRetries: 0, initialDelayMilliseconds: 0, maxDelayMilliseconds: 0 },
    });
  return { catalog, resolve };
}
