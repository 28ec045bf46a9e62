import { tmpdir } from "node:os";
import path from "node:path";
import { Hono } from "hono";
import type { AgentRuntime } from "../agent/index.ts";
import type { Settings } from "../config/settings-schema.ts";
import type { ReadOnlyCatalog } from "../models/read-only-catalog.ts";
import type { ResolvedModel } from "../models/resolved-model.ts";
import type { Store } from "../store/store.ts";
import type { RequestTracing } from "../telemetry/telemetry.ts";
import { AgentRuns } from "./agent-runs.ts";
import { authenticate } from "./authenticate.ts";
import { isLoopbackHost } from "./bind-policy.ts";
import { completeWithAgent } from "./complete-with-agent.ts";
import { errorEnvelopeFor } from "./error-envelopes.ts";
import { errorResponse } from "./error-response.ts";
import type { EvalResultsSource } from "./eval-results-source.ts";
import type { GatewayContext } from "./gateway-context.ts";
import type { GatewayEnv } from "./gateway-env.ts";
import { NotFoundError, ServerFaultError } from "./gateway-errors.ts";
import { HostPolicy } from "./host-policy.ts";
import { KeyBudget } from "./key-budget.ts";
import { KeyLimits } from "./key-limits.ts";
import { OriginPolicy } from "./origin-policy.ts";
import { requestGuard } from "./request-guard.ts";
import { requestSpan } from "./request-span.ts";
import { type AgentCompletion, registerChatCompletionRoutes } from "./routes/chat-completions-routes.ts";
import { registerMessagesRoutes } from "./routes/messages-routes.ts";
import { registerModelRoutes } from "./routes/models-routes.ts";
import { registerResponsesRoutes } from "./routes/responses-routes.ts";
import { registerRunDetailRoutes } from "./routes/run-detail-routes.ts";
import { registerRunRoutes } from "./routes/runs-routes.ts";
import { registerUsageRoutes } from "./routes/usage-routes.ts";
import { registerViewerDataRoutes } from "./routes/viewer-data-routes.ts";
import { registerViewerStaticRoutes } from "./routes/viewer-static-routes.ts";
import { ServedModels } from "./served-models.ts";
import { packagedViewerDirectory } from "./viewer-files.ts";

export interface GatewayOptions {
  store: Store;
  settings: Settings;
  /** The catalog with the user's overrides applied; its models are served by id. */
  catalog: ReadOnlyCatalog;
  /** Makes a served id callable (catalog id or an extra spec such as a .gguf path). */
  resolveModel: (spec: string) => Promise<ResolvedModel>;
  /** Specs served beyond the catalog, e.g. a .gguf path. */
  extraModels?: readonly string[];
  /** The address the server listens on; decides whether requests without a key are let in. Default 127.0.0.1. */
  bindHost?: string;
  /** Default 8 MiB. */
  bodyLimitBytes?: number;
  /** Default 10 minutes. */
  upstreamTimeoutMilliseconds?: number;
  now?: () => Date;
  /** Runs agents (`agent:<name>` models and /v1/runs); without it those answer 501. */
  runtime?: AgentRuntime;
  /** Where agents without a configured workspace work, a folder per agent. Default: the system temp folder. */
  agentWorkspaceDirectory?: string;
  /** Spans for chat-completion requests (telemetry); absent, none. */
  requestTracing?: RequestTracing;
  /** Folders of eval results (`--evals <dir>`) and their reader, for GET /v1/evals; none by default. */
  evalResults?: EvalResultsSource;
  /** The built browser viewer served at `/`; default the package's dist/ui. */
  viewerDirectory?: string;
}

/** The gateway as a Hono app, usable in memory (`app.request`) or behind @hono/node-server. */
export interface Gateway {
  app: Hono<GatewayEnv>;
  context: GatewayContext;
  /** Server-side agent runs; absent without a runtime. */
  agents: AgentRuns | undefined;
  /** Tells the gateway the port it listens on: from then on a request's Host must name that port. */
  listeningOn(port: number): void;
  /** Frees loaded models (embedded weights). */
  close(): Promise<void>;
}

const defaultBodyLimitBytes = 8 * 1024 * 1024;
const defaultUpstreamTimeoutMilliseconds = 10 * 60 * 1000;

const noRuntimeMessage = "This server was started without an agent runtime, so it runs no agents.";

const agentsNotAvailable: AgentCompletion = async (_gateway, request) => {
  request.releaseSlot();
  throw new ServerFaultError(noRuntimeMessage, "not_implemented", 501);
};

export function createGateway(options: GatewayOptions): Gateway {
  const now = options.now ?? (() => new Date());
  const bindHost = options.bindHost ?? "127.0.0.1";
  const bodyLimitBytes = options.bodyLimitBytes ?? defaultBodyLimitBytes;
  const models = new ServedModels({
    catalog: options.catalog,
    resolveModel: options.resolveModel,
    extraModels: [
      ...(options.settings.defaultModel ? [options.settings.defaultModel] : []),
      ...(options.extraModels ?? []),
    ],
    agentNames: Object.keys(options.settings.agents),
    now,
  });
  const context: GatewayContext = {
    store: options.store,
    settings: options.settings,
    models,
    catalog: options.catalog,
    evalResults: options.evalResults,
    budget: new KeyBudget(options.store),
    limits: new KeyLimits(options.store, () => now().getTime()),
    now,
    upstreamTimeoutMilliseconds: options.upstreamTimeoutMilliseconds ?? defaultUpstreamTimeoutMilliseconds,
    bindIsLoopback: isLoopbackHost(bindHost),
    bodyLimitBytes,
  };

  const hosts = new HostPolicy(bindHost, options.settings.server.allowedHosts);
  const app = new Hono<GatewayEnv>();
  app.onError((error, c) => errorResponse(error, errorEnvelopeFor(c.req.path)));
  app.notFound((c) =>
    errorResponse(
      new NotFoundError(`No route ${c.req.method} ${c.req.path}. The API lives under /v1 (see GET /v1/models).`, {
        code: "unknown_route",
      }),
      errorEnvelopeFor(c.req.path),
    ),
  );
  // Outermost, so a refused request is traced with the status it got.
  if (options.requestTracing) app.use("/v1/chat/completions", requestSpan(options.requestTracing));
  if (options.requestTracing) app.use("/v1/responses", requestSpan(options.requestTracing));
  app.use("*", requestGuard(hosts, new OriginPolicy(options.settings.server.allowedOrigins)));
  app.get("/health", (c) => c.json({ status: "ok" }));
  registerViewerStaticRoutes(app, options.viewerDirectory ?? packagedViewerDirectory());
  app.use("/v1/*", async (c, next) => {
    const authorization = c.req.header("authorization");
    c.set(
      "caller",
      await authenticate(context.store, authorization, context.bindIsLoopback, c.req.header("x-api-key")),
    );
    await next();
  });
  registerModelRoutes(app, context);
  const agents = options.runtime
    ? new AgentRuns({
        runtime: options.runtime,
        settings: options.settings,
        budget: context.budget,
        workspaceDirectory: options.agentWorkspaceDirectory ?? path.join(tmpdir(), "tansuo-agent-workspaces"),
      })
    : undefined;
  registerChatCompletionRoutes(app, context, agents ? completeWithAgent(agents) : agentsNotAvailable);
  registerMessagesRoutes(app, context);
  registerResponsesRoutes(app, context, agents);
  registerUsageRoutes(app, context);
  registerViewerDataRoutes(app, context);
  if (agents) {
    registerRunRoutes(app, context, agents);
    registerRunDetailRoutes(app, context, agents);
  } else {
    app.all("/v1/runs/*", () => errorResponse(new ServerFaultError(noRuntimeMessage, "not_implemented", 501)));
    app.all("/v1/runs", () => errorResponse(new ServerFaultError(noRuntimeMessage, "not_implemented", 501)));
  }

  return { app, context, agents, listeningOn: (port) => hosts.listeningOn(port), close: () => models.close() };
}
