import { Command } from "commander";
import { McpConnection } from "../../tools/mcp/mcp-connection.ts";
import { McpServerError } from "../../tools/mcp/mcp-errors.ts";
import { createMcpTool } from "../../tools/mcp/mcp-tool.ts";
import type { CliContext } from "../cli-context.ts";
import { exitCodes } from "../exit-codes.ts";
import { shorten, terminalSafe } from "../format.ts";

interface ServerListing {
  name: string;
  transport: "stdio" | "http";
  trusted: boolean;
  started: boolean;
  error?: string;
  tools: { name: string; description: string; readOnly: boolean }[];
}

/** `tansuo mcp list`: starts each configured server once, says whether it came up, and lists its tools. */
export function createMcpListCommand(context: CliContext, setExitCode: (code: number) => void): Command {
  return new Command("list")
    .description("Each configured MCP server, whether it starts (with its error and stderr if not), and its tools")
    .option("--json", "print JSON")
    .action(async (options: { json?: boolean }) => {
      const servers = Object.entries(context.settings.mcpServers);
      const listings = await Promise.all(servers.map(([name, settings]) => listServer(name, settings)));
      if (listings.some((listing) => !listing.started)) setExitCode(exitCodes.failed);
      if (options.json) {
        context.stdout.write(`${JSON.stringify(listings, null, 2)}\n`);
        return;
      }
      if (listings.length === 0) {
        context.stdout.write("No MCP servers configured. Add them under mcpServers in $TANSUO_HOME/config.json.\n");
        return;
      }
      const out: string[] = [];
      for (const listing of listings) {
        const state = listing.started ? `${listing.tools.length} tool(s)` : "did not start";
        out.push(`${listing.name} (${listing.transport}${listing.trusted ? ", trusted" : ""}) · ${state}`);
        if (listing.error) out.push(`  ${listing.error.split("\n").join("\n  ")}`);
        for (const tool of listing.tools) out.push(`  ${tool.name}  ${shorten(tool.description, 70)}`);
      }
      // Server text may hold terminal escape sequences; show them, do not obey them.
      context.stdout.write(`${terminalSafe(out.join("\n"))}\n`);
    });
}

async function listServer(
  name: string,
  settings: CliContext["settings"]["mcpServers"][string],
): Promise<ServerListing> {
  const base = {
    name,
    transport: "url" in settings ? ("http" as const) : ("stdio" as const),
    trusted: !!settings.trusted,
  };
  let connection: McpConnection;
  try {
    connection = await McpConnection.open(name, settings);
  } catch (error) {
    const message = error instanceof McpServerError ? error.message : String(error);
    return { ...base, started: false, error: message, tools: [] };
  }
  try {
    const tools = connection.tools.map((definition) => {
      const tool = createMcpTool(connection, definition);
      return { name: tool.name, description: tool.description.split("\n")[0]!, readOnly: tool.readOnly };
    });
    return { ...base, started: true, tools };
  } finally {
    await connection.close();
  }
}
