import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import OpenAI from "openai";
import { configuredAgentTools } from "../../../src/agent/configured-agent-tools.ts";
import { createRuntime } from "../../../src/agent/index.ts";
import { type Settings, settingsSchema } from "../../../src/config/settings-schema.ts";
import { Catalog } from "../../../src/models/catalog.ts";
import { type ResolveModelOptions, resolveModel } from "../../../src/models/resolve-model.ts";
import type { RetryPolicy } from "../../../src/models/retry-policy.ts";
import { type RunningServer, type StartServerOptions, startServer } from "../../../src/server/index.ts";
import { SqliteStore } from "../../../src/store/sqlite-store.ts";
import {
  type DeepSeekServer,
  type DeepSeekServerOptions,
  startDeepSeekServer,
} from "../../support/deepseek-server/index.ts";

export const upstreamApiKey = "sk-upstream-test";

const noRetries: RetryPolicy = { maxRetries: 0, initialDelayMilliseconds: 0, maxDelayMilliseconds: 0 };

export interface GatewayFixture {
  upstream: DeepSeekServer;
  store: SqliteStore;
  server: RunningServer;
  settings: Settings;
  catalog: Catalog;
  /** The official OpenAI client pointed at the gateway, with retries off so each status is seen as sent. */
  client(apiKey?: string): OpenAI;
  close(): Promise<void>;
}

export interface FixtureOptions {
  upstream?: DeepSeekServerOptions;
  /** Config for the gateway; a function gets the upstream's URL (for models of your own on it). */
  settings?: Record<string, unknown> | ((upstreamUrl: string) => Record<string, unknown>);
  gateway?: Partial<StartServerOptions>;
  host?: string;
  /** Passed to resolveModel, e.g. embedded model settings. */
  resolveOptions?: Partial<ResolveModelOptions>;
  /** Runs after the store opens and before the server starts (e.g. to create keys). */
  prepare?: (store: SqliteStore) => unknown;
}

/** A DeepSeek-format upstream on 127.0.0.1, a store in memory, and the gateway listening on a free port. */
export async function startGatewayFixture(options: FixtureOptions = {}): Promise<GatewayFixture> {
  const upstream = await startDeepSeekServer({ apiKey: upstreamApiKey, ...options.upstream });
  const modelsDirectory = mkdtempSync(path.join(tmpdir(), "tansuo-gateway-test-"));
  const store = new SqliteStore(":memory:");
  await options.prepare?.(store);
  const settings = settingsSchema.parse({
    models: [
      { id: "deepseek-v4-flash", baseUrl: upstream.url },
      { id: "deepseek-v4-pro", baseUrl: upstream.url },
    ],
    ...(typeof options.settings === "function" ? options.settings(upstream.url) : options.settings),
  });
  const catalog = Catalog.builtIn().withOverrides(settings.models);
  const resolve = (spec: string, retryPolicy = noRetries) =>
    resolveModel(spec, {
      catalog,
      env: { DEEPSEEK_API_KEY: upstreamApiKey },
      modelsDirectory,
      retryPolicy,
      ...options.resolveOptions,
    });
  const server = await startServer({
    store,
    settings,
    catalog,
    resolveModel: (spec) => resolve(spec),
    runtime: createRuntime({
      store,
      resolveModel: (spec, resolveOptions) => resolve(spec, resolveOptions.retryPolicy),
      // As `tansuo serve` does: configured agents that others call (`agent:<name>`) are tools of its runs.
      tools: configuredAgentTools(settings),
    }),
    agentWorkspaceDirectory: path.join(modelsDirectory, "workspaces"),
    host: options.host,
    port: 0,
    ...options.gateway,
  });
  return {
    upstream,
    store,
    server,
    settings,
    catalog,
    client: (apiKey = "local") => new OpenAI({ baseURL: `${server.url}/v1`, apiKey, maxRetries: 0 }),
    close: async () => {
      await server.gateway.agents?.settled();
      await server.close();
      await upstream.close();
      store.close();
      rmSync(modelsDirectory, { recursive: true, force: true });
    },
  };
}
