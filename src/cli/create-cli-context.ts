import path from "node:path";
import { configuredAgentTools } from "../agent/configured-agent-tools.ts";
import { type AgentRuntime, createRuntime } from "../agent/index.ts";
import { homeDirectory, loadSettings } from "../config/load-settings.ts";
import { readProjectHooks, runHooks } from "../config/project-hooks.ts";
import type { Settings } from "../config/settings-schema.ts";
import { InternalError } from "../errors/internal-error.ts";
import { Catalog } from "../models/catalog.ts";
import { type ChatWrapperName, chatWrapperNames, isChatWrapperName } from "../models/embedded/chat-wrapper-names.ts";
import { resolveModel } from "../models/resolve-model.ts";
import { defaultRetryPolicy } from "../models/retry-policy.ts";
import { openStore, storeLocation } from "../store/open-store.ts";
import { isPostgresUrl } from "../store/postgres/redact-store-url.ts";
import type { Store } from "../store/store.ts";
import type { McpSession } from "../tools/mcp/mcp-session.ts";
import { knownSecrets } from "../tools/secret-environment.ts";
import type { Tool } from "../tools/tool.ts";
import { searchKeyVariable, webPolicyFromSettings } from "../tools/web/web-policy.ts";
import type { CliContext } from "./cli-context.ts";
import { CommandInputError } from "./cli-errors.ts";
import { DownloadProgressView } from "./render/download-progress-view.ts";

export interface ProcessWorld {
  env: NodeJS.ProcessEnv;
  cwd: string;
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
  stdin: NodeJS.ReadableStream;
  isTerminal: boolean;
  /** The global `--store <url|path>` option, read before the command is loaded. */
  storeFlag?: string;
}

/** Reads config and prepares lazily opened services for one CLI invocation. */
export function createCliContext(world: ProcessWorld): CliContext {
  const settings = loadSettings({ cwd: world.cwd, env: world.env });
  const catalog = Catalog.builtIn().withOverrides(settings.models);
  const home = homeDirectory(world.env);
  const searchKey = searchKeyVariable(settings.web.search);
  const location = storeLocation({
    flag: world.storeFlag,
    env: world.env,
    configured: settings.store,
    home,
    cwd: world.cwd,
  });
  let store: Store | undefined;
  let runtime: AgentRuntime | undefined;
  let mcpTools: Tool[] = [];
  // Tests shorten back-off through the environment; users keep the provider-friendly defaults.
  const retryScale = Number(world.env.TANSUO_RETRY_SCALE ?? "1");
  const retryPolicy = {
    ...defaultRetryPolicy,
    initialDelayMilliseconds: defaultRetryPolicy.initialDelayMilliseconds * retryScale,
    maxDelayMilliseconds: defaultRetryPolicy.maxDelayMilliseconds * retryScale,
  };
  const context: CliContext = {
    ...world,
    homeDirectory: home,
    settings,
    catalog,
    resolveModel: (spec, options = {}) =>
      resolveModel(spec, {
        catalog,
        env: world.env,
        modelsDirectory: path.join(home, "models"),
        defaultModel: settings.defaultModel,
        providers: settings.providers,
        baseUrl: options.baseUrl,
        retryPolicy: options.retryPolicy ?? retryPolicy,
        onDownloadProgress: new DownloadProgressView(world.stderr, world.isTerminal).handler(),
        embedded: embeddedOptions(world.env, settings.embedded),
        huggingFaceEndpoint: world.env.HF_ENDPOINT || undefined,
      }),
    openStore() {
      store ??= openStore(location);
      return store;
    },
    runtime() {
      runtime ??= createRuntime({
        store: context.openStore(),
        resolveModel: (spec, options) => context.resolveModel(spec, options),
        retryPolicy,
        tansuoHome: home,
        // Tests shorten the lease to show that a live owner keeps its run long past it.
        leaseMilliseconds: Number(world.env.TANSUO_LEASE_MILLISECONDS) || undefined,
        // Configured agents that other agents call (`agent:<name>`) are tools of every run's runtime.
        tools: [...mcpTools, ...configuredAgentTools(settings)],
        observeRun: context.telemetry?.observeRun,
        // The user's own hooks, and a project file's only once trusted (`tansuo hooks trust`).
        hooks: runHooks(settings.hooks, readProjectHooks(world), (message) => world.stderr.write(`${message}\n`)),
        jobsFolder: path.join(home, "jobs"),
        toolPolicy: {
          allowHardLinks: settings.files.allowHardLinks,
          sandbox: settings.shell.sandbox,
          secrets: knownSecrets(
            world.env,
            [
              ...Object.values(settings.providers).map((provider) => provider.apiKey),
              searchKey && world.env[searchKey],
              storePassword(location),
            ],
            [path.join(home, "config.json"), path.join(world.cwd, "tansuo.config.json")],
          ),
          secretVariables: [
            ...catalog.list().flatMap((entry) => (entry.apiKeyEnv ? [entry.apiKeyEnv] : [])),
            ...(searchKey ? [searchKey] : []),
            // It may name a database with its password: commands the model runs do not get it.
            "TANSUO_STORE",
          ],
          // $TANSUO_HOME holds the user's config (keys) and the database; a project file may hold no keys.
          hiddenPaths: [home],
          web: webPolicyFromSettings(settings.web, world.env),
        },
      });
      return runtime;
    },
    async openMcpServers(serverNames, options) {
      if (runtime) throw new InternalError("MCP servers must be started before the runtime is created.");
      // The MCP SDK loads only for a run that names MCP servers.
      const { openMcpSession } = await import("../tools/mcp/mcp-session.ts");
      const session: McpSession = await openMcpSession(settings.mcpServers, serverNames, options);
      mcpTools = session.tools;
      return session;
    },
  };
  return context;
}

/**
 * Local model settings from the environment: TANSUO_THREADS, TANSUO_CONTEXT_SIZE, TANSUO_GPU=off, TANSUO_CHAT_WRAPPER
 * (which wins over config `embedded.chatWrapper`).
 */
function embeddedOptions(env: NodeJS.ProcessEnv, settings: Settings["embedded"]) {
  const number = (value: string | undefined) =>
    value && Number.isInteger(Number(value)) && Number(value) > 0 ? Number(value) : undefined;
  return {
    threads: number(env.TANSUO_THREADS),
    contextSize: number(env.TANSUO_CONTEXT_SIZE),
    gpu: env.TANSUO_GPU === "off" ? false : undefined,
    chatWrapper: chatWrapperOf(env.TANSUO_CHAT_WRAPPER) ?? settings.chatWrapper,
  };
}

function chatWrapperOf(name: string | undefined): ChatWrapperName | undefined {
  if (name === undefined || name === "") return undefined;
  if (isChatWrapperName(name)) return name;
  throw new CommandInputError(
    `TANSUO_CHAT_WRAPPER is "${name}", which is not a chat wrapper Tansuo knows; nothing was run. ` +
      `Set it to one of ${chatWrapperNames.join(", ")}, or unset it to use the model's own template.`,
  );
}

/** The password in a postgres:// store URL, so tool output that shows it is redacted. */
function storePassword(location: string): string | undefined {
  if (!isPostgresUrl(location)) return undefined;
  try {
    return decodeURIComponent(new URL(location).password) || undefined;
  } catch {
    return undefined;
  }
}
