import { Command } from "commander";
import type { CliContext } from "../cli-context.ts";
import { createMcpListCommand } from "./mcp-list.ts";

/** `tansuo mcp`: the MCP servers Tansuo uses; each subcommand lives in its own file. */
export function createMcpCommand(context: CliContext, setExitCode: (code: number) => void): Command {
  const mcp = new Command("mcp").description("MCP servers: the ones in config (mcpServers) and their tools");
  mcp.addCommand(createMcpListCommand(context, setExitCode));
  return mcp;
}
