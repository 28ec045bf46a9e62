import path from "node:path";
import { createRuntime } from "../src/agent/index.ts";
import type { Settings } from "../src/config/settings-schema.ts";
import { Catalog } from "../src/models/catalog.ts";
import { resolveModel } from "../src/models/resolve-model.ts";
import { type StartServerOptions, startServer } from "../src/server/index.ts";
import type { Store } from "../src/store/store.ts";

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

/** A real gateway on a free 127.0.0.1 port over `store`, with agents behind it, as every campaign starts one. */
export function startCampaignGateway(
  store: Store,
  settings: Settings,
  options: { apiKey: string; home: string; server?: Partial<StartServerOptions> },
) {
  const { catalog, resolve } = campaignModelResolver(settings, options);
  return startServer({
    store,
    settings,
    catalog,
    resolveModel: resolve,
    runtime: createRuntime({ store, resolveModel: (spec) => resolve(spec) }),
    agentWorkspaceDirectory: path.join(options.home, "workspaces"),
    port: 0,
    ...options.server,
  });
}
