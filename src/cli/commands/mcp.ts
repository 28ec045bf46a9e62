import { Command } from "commander";
import type { CliContext } from "../cli-context.ts";
import { createMcpListCommand } from "./mcp-list.ts";
import { createMcpServeCommand } from "./mcp-serve.ts";

/** `tansuo mcp`: the MCP servers Tansuo uses, and Tansuo as an MCP server; each subcommand lives in its own file. */
export function createMcpCommand(context: CliContext, setExitCode: (code: number) => void): Command {
  return new Command("mcp")
    .description("Model Context Protocol: the servers in config (mcpServers) and their tools; serve Tansuo's agents")
    .addCommand(createMcpListCommand(context, setExitCode))
    .addCommand(createMcpServeCommand(context, setExitCode));
}
