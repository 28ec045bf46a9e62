import { Command } from "commander";
import type { CliContext } from "../cli-context.ts";
import { createMcpServeCommand } from "./mcp-serve.ts";

/** `tansuo mcp`: the Model Context Protocol, Tansuo as a server. */
export function createMcpCommand(context: CliContext, setExitCode: (code: number) => void): Command {
  return new Command("mcp")
    .description("Model Context Protocol: serve Tansuo's agents to MCP clients")
    .addCommand(createMcpServeCommand(context, setExitCode));
}
