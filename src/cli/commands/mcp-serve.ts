import path from "node:path";
import type { Readable, Writable } from "node:stream";
import { StdioServerTransport } from "@modelcontextprotocol/sdk/server/stdio.js";
import { Command, InvalidArgumentError } from "commander";
import { startMcpHttpListener } from "../../server/mcp/mcp-http-listener.ts";
import { createTansuoMcpServer } from "../../server/mcp/tansuo-mcp-server.ts";
import { ServedModels } from "../../server/served-models.ts";
import type { CliContext } from "../cli-context.ts";
import { usdAmount } from "../option-parsers.ts";

const port = (value: string) => {
  const parsed = Number(value);
  if (!Number.isInteger(parsed) || parsed < 0 || parsed > 65535) {
    throw new InvalidArgumentError("expected a port, 0 to 65535 (0 picks a free one)");
  }
  return parsed;
};

/** Resolves on SIGINT or SIGTERM, or when `stdin` ends (a stdio client that went away). */
const untilStopped = (stdin?: NodeJS.ReadableStream) =>
  new Promise<void>((resolve) => {
    const stop = () => {
      process.off("SIGINT", stop);
      process.off("SIGTERM", stop);
      stdin?.off("end", stop);
      stdin?.off("close", stop);
      resolve();
    };
    process.on("SIGINT", stop);
    process.on("SIGTERM", stop);
    stdin?.on("end", stop);
    stdin?.on("close", stop);
  });

/** The models a caller may name: the gateway's served models plus the models config gives its agents. */
function callableModelIds(context: CliContext): string[] {
  const { settings } = context;
  const configured = [settings.defaultModel, ...Object.values(settings.agents).map((agent) => agent.model)];
  const served = new ServedModels({
    catalog: context.catalog,
    resolveModel: (spec) => context.resolveModel(spec),
    extraModels: configured.filter((model): model is string => model !== undefined),
    agentNames: [],
    now: () => new Date(),
  });
  return served.list().map((model) => model.id);
}

/** `tansuo mcp serve`: Tansuo's agents as MCP tools, over stdio or streamable HTTP on 127.0.0.1. */
export function createMcpServeCommand(context: CliContext, setExitCode?: (code: number) => void): Command {
  return new Command("serve")
    .description("Serve run_agent and one tool per configured agent to MCP clients (stdio, or --http)")
    .option("--http <port>", "streamable HTTP on 127.0.0.1 at this port instead of stdio (0 picks a free one)", port)
    .option("-w, --workspace <dir>", "where run_agent without an agent works", ".")
    .option("--budget <usd>", "most a run_agent call without an agent may spend; callers may only lower it", usdAmount)
    .action(async (options: { http?: number; workspace: string; budget?: string }) => {
      const stopping = new AbortController();
      const modelIds = callableModelIds(context);
      const createServer = () =>
        createTansuoMcpServer({
          runtime: context.runtime(),
          settings: context.settings,
          workspace: path.resolve(context.cwd, options.workspace),
          budgetUsd: options.budget,
          resolveModel: (spec) => context.resolveModel(spec),
          modelIds,
          version: "0.1.0",
          signal: stopping.signal,
        });
      if (options.http !== undefined) {
        const listener = await startMcpHttpListener({ port: options.http, createSession: createServer });
        context.stderr.write(`Tansuo MCP server (streamable HTTP) listening on ${listener.url}\n`);
        await untilStopped();
        stopping.abort(new Error("the MCP server stopped"));
        await listener.close();
      } else {
        const server = createServer();
        await server.connect(new StdioServerTransport(context.stdin as Readable, context.stdout as Writable));
        await untilStopped(context.stdin);
        stopping.abort(new Error("the MCP server stopped"));
        await server.close();
      }
      setExitCode?.(0);
    });
}
