import { z } from "zod";
import { type Tool, ToolInputError } from "../tool.ts";
import { McpConnection } from "./mcp-connection.ts";
import { McpConfigError, McpServerError } from "./mcp-errors.ts";
import type { McpServerSettings } from "./mcp-server-settings.ts";
import { createMcpTool } from "./mcp-tool.ts";

/** The MCP servers of one run: their tools for the registry, the ones that did not start, and closing them all. */
export interface McpSession {
  /** Servers that started, in the order asked for. */
  readonly serverNames: string[];
  readonly connections: McpConnection[];
  readonly tools: Tool[];
  /** Servers that did not start, with the message naming the error and the stderr tail. */
  readonly failures: { serverName: string; message: string }[];
  /** Tools left out of started servers (listed twice, a name taken, a refused schema), each naming server and tool. */
  readonly warnings: string[];
  close(): Promise<void>;
}

/**
 * Starts the named servers side by side. One that does not start is a failure to report, not an error: the run
 * goes on without its tools. `expectedTools` (a resumed run's tool names) keeps every name the run was offered:
 * a tool of a server that did not start, or that its server no longer lists, answers the model with why.
 */
export async function openMcpSession(
  configured: Record<string, McpServerSettings>,
  serverNames: readonly string[],
  options: { expectedTools?: readonly string[]; takenNames?: readonly string[] } = {},
): Promise<McpSession> {
  const unknown = serverNames.filter((name) => !(name in configured));
  if (unknown.length > 0) {
    const known = Object.keys(configured);
    throw new McpConfigError(
      `No MCP server named ${unknown.map((name) => `"${name}"`).join(", ")} in $TANSUO_HOME/config.json ` +
        `(mcpServers). Configured: ${known.length > 0 ? known.join(", ") : "none"}.`,
    );
  }
  const opened = await Promise.allSettled(serverNames.map((name) => McpConnection.open(name, configured[name]!)));
  const connections: McpConnection[] = [];
  const failures: McpSession["failures"] = [];
  const tools: Tool[] = [];
  const warnings: string[] = [];
  // Registry names already in use: a server's tool that comes out the same after sanitising is left out.
  const taken = new Set(options.takenNames ?? []);
  opened.forEach((outcome, index) => {
    const serverName = serverNames[index]!;
    if (outcome.status === "fulfilled") {
      connections.push(outcome.value);
      warnings.push(...outcome.value.listingWarnings);
      for (const definition of outcome.value.tools) {
        const tool = createMcpTool(outcome.value, definition);
        if (taken.has(tool.name)) {
          warnings.push(
            `MCP server "${serverName}"'s tool "${definition.name}" is left out: the name ${tool.name} is already taken.`,
          );
          continue;
        }
        taken.add(tool.name);
        tools.push(tool);
      }
      return;
    }
    const message =
      outcome.reason instanceof McpServerError
        ? outcome.reason.message
        : `MCP server "${serverName}" did not start: ${String(outcome.reason)}`;
    failures.push({ serverName, message });
  });
  for (const name of options.expectedTools ?? []) {
    const serverName = serverNames.find((server) => name.startsWith(`${server}__`));
    if (!serverName || tools.some((tool) => tool.name === name)) continue;
    const failure = failures.find((candidate) => candidate.serverName === serverName);
    tools.push(
      unavailableTool(name, failure?.message ?? `MCP server "${serverName}" no longer offers the tool behind ${name}.`),
    );
  }
  return {
    serverNames: connections.map((connection) => connection.serverName),
    connections,
    tools,
    failures,
    warnings,
    close: async () => {
      await Promise.all(connections.map((connection) => connection.close()));
    },
  };
}

/** Stands in for a resumed run's tool whose server is not there now, so the run keeps its tool names. */
function unavailableTool(name: string, reason: string): Tool {
  return {
    name,
    description: `Unavailable: ${reason.split("\n")[0]}`,
    inputSchema: z.unknown(),
    jsonInputSchema: {
      jsonSchema: { type: "object", properties: {} },
      validate: (input) => ({ valid: true, data: input }),
    },
    needsApproval: false,
    readOnly: true,
    async execute() {
      throw new ToolInputError(`${reason}\nDo not call ${name} again; go on without it.`);
    },
  };
}
