import path from "node:path";
import { Command, InvalidArgumentError } from "commander";
import { collectRuns } from "../../evals/report/collect-runs.ts";
import type { RetryPolicy } from "../../models/retry-policy.ts";
import { activeKeyCount, type RunningServer, startServer } from "../../server/index.ts";
import type { CliContext } from "../cli-context.ts";
import { CommandInputError } from "../cli-errors.ts";
import { untilSignal } from "../until-signal.ts";

/** What `tansuo serve` needs beyond the CLI context. */
export interface ServeServices {
  /** Resolves when the server should stop; by default on SIGINT or SIGTERM. */
  untilStopped?: () => Promise<void>;
}

// OpenAI clients retry 429 and 5xx themselves; a second layer of retries in the gateway would multiply waits.
const gatewayRetryPolicy: RetryPolicy = { maxRetries: 0, initialDelayMilliseconds: 0, maxDelayMilliseconds: 0 };

export const port = (value: string) => {
  const parsed = Number(value);
  if (!Number.isInteger(parsed) || parsed < 0 || parsed > 65535)
    throw new InvalidArgumentError("expected a port, 0 to 65535");
  return parsed;
};

/** A repeatable option's values, in the order given. */
export const repeated = (value: string, previous: string[] = []): string[] => [...previous, value];

/** `tansuo serve`: the OpenAI-compatible gateway with agents, keys, budgets and the runs API. */
/** One line that says what to do, instead of the listen call's EADDRINUSE. */
const portInUse = (host: string, port: number) =>
  new CommandInputError(
    `Port ${port} on ${host} is already in use (another \`tansuo serve\`, or another program). ` +
      "Stop it, or pick another port with --port (0 picks a free one).",
  );

/** The gateway on the local database with the CLI's settings, as `tansuo serve` and `tansuo ui` start it. */
export async function startCliGateway(
  context: CliContext,
  options: { host: string; port: number; model?: string[]; evals?: string[] },
): Promise<RunningServer> {
  return await startServer({
    store: context.openStore(),
    settings: context.settings,
    catalog: context.catalog,
    resolveModel: (spec) => context.resolveModel(spec, { retryPolicy: gatewayRetryPolicy }),
    runtime: context.runtime(),
    requestTracing: context.telemetry?.requests,
    agentWorkspaceDirectory: path.join(context.homeDirectory, "workspaces"),
    extraModels: options.model,
    evalResults: options.evals?.length ? { directories: options.evals, collect: collectRuns } : undefined,
    host: options.host,
    port: options.port,
  }).catch((error: unknown) => {
    throw (error as NodeJS.ErrnoException).code === "EADDRINUSE" ? portInUse(options.host, options.port) : error;
  });
}

/** Waits for SIGINT or SIGTERM (or the test's stop), then closes the server and says what is still going. */
export async function serveUntilStopped(
  context: CliContext,
  server: RunningServer,
  services: ServeServices,
): Promise<void> {
  await (services.untilStopped ?? untilSignal)();
  await server.close();
  const running = server.gateway.agents?.inFlight ?? 0;
  context.stdout.write(
    running === 0
      ? "Gateway stopped.\n"
      : `Gateway stopped; ${running} agent run${running === 1 ? "" : "s"} still going will finish first ` +
          "(interrupt again to stop them now; `tansuo resume <id>` continues a stopped run).\n",
  );
}

export function createServeCommand(context: CliContext, services: ServeServices = {}): Command {
  return new Command("serve")
    .description("Serve catalog models and agents over the OpenAI API, metered and capped per key")
    .option("--host <address>", "address to listen on (beyond loopback needs an API key)", "127.0.0.1")
    .option("--port <n>", "port to listen on (0 picks a free one)", port, 8787)
    .option("--model <spec...>", "also serve these model specs, e.g. a path to a .gguf file")
    .option(
      "--evals <dir>",
      "show the eval results (--out folders) under this folder in the viewer (repeatable)",
      repeated,
    )
    .action(async (options: { host: string; port: number; model?: string[]; evals?: string[] }) => {
      const server = await startCliGateway(context, options);
      const store = server.gateway.context.store;
      const keys = await activeKeyCount(store);
      const { allowedHosts, allowedOrigins } = context.settings.server;
      context.stdout.write(
        `Tansuo gateway listening on ${server.url} (OpenAI base URL ${server.url}/v1)\n` +
          (keys === 0
            ? "No API keys: requests from this machine need no key. Create one with `tansuo keys create`.\n"
            : `${keys} active API key${keys === 1 ? "" : "s"}: requests need \`Authorization: Bearer <key>\`.\n`) +
          (allowedHosts.length > 0 ? `Also answers to Host ${allowedHosts.join(", ")} (server.allowedHosts).\n` : "") +
          (allowedOrigins.length > 0
            ? `Browser pages from ${allowedOrigins.join(", ")} may call it (server.allowedOrigins).\n`
            : "Browser pages from other origins are refused (allow one in server.allowedOrigins).\n"),
      );
      await serveUntilStopped(context, server, services);
    });
}
