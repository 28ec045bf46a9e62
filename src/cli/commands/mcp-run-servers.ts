import type { RunRecord } from "../../store/records.ts";
import type { McpSession } from "../../tools/mcp/mcp-session.ts";
import type { CliContext } from "../cli-context.ts";
import { CommandInputError } from "../cli-errors.ts";

/** `--mcp a,b` as server names; `none` is none. */
export const mcpServerList = (value: string): string[] =>
  value.trim() === "none"
    ? []
    : value
        .split(",")
        .map((name) => name.trim())
        .filter(Boolean);

/** Starts a new run's MCP servers (all configured ones when `--mcp` is absent); one that fails is a warning. */
export async function startRunServers(context: CliContext, serverNames: string[] | undefined): Promise<McpSession> {
  const session = await context.openMcpServers(serverNames ?? Object.keys(context.settings.mcpServers));
  warnAboutFailures(context, session, "the run goes on without its tools");
  return session;
}

/**
 * Starts the MCP servers a run used again, before it is resumed or approved, so it is offered the same tool
 * names. A server no longer in config is a clear error and the run is kept as it was.
 */
export async function restartRunServers(context: CliContext, run: RunRecord): Promise<McpSession> {
  const serverNames = run.settings.mcpServers ?? [];
  const removed = serverNames.filter((name) => !(name in context.settings.mcpServers));
  if (removed.length > 0) {
    throw new CommandInputError(
      `Run ${run.id} used the MCP server(s) ${removed.map((name) => `"${name}"`).join(", ")}, which ` +
        "$TANSUO_HOME/config.json (mcpServers) no longer declares. The run is kept as it was; add the server(s) " +
        "back and resume it again.",
    );
  }
  const session = await context.openMcpServers(serverNames, { expectedTools: run.settings.tools });
  warnAboutFailures(context, session, "its tools answer the model with this error");
  return session;
}

function warnAboutFailures(context: CliContext, session: McpSession, consequence: string): void {
  for (const failure of session.failures) context.stderr.write(`warning: ${failure.message}\n(${consequence})\n`);
  for (const warning of session.warnings) context.stderr.write(`warning: ${warning}\n`);
}
