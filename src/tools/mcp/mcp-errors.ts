import { TansuoError } from "../../errors/tansuo-error.ts";

/**
 * An MCP server failed: it did not start, died, timed out or answered a JSON-RPC error. The message names the
 * server and quotes its stderr tail; during a run it goes to the model as a tool error, and the run goes on.
 */
export class McpServerError extends TansuoError {
  override readonly name = "McpServerError";
  readonly kind = "tool";
  constructor(
    readonly serverName: string,
    message: string,
  ) {
    super(message);
  }
}

/** The run names MCP servers the config does not declare (a resumed run whose server was removed, a typo in --mcp). */
export class McpConfigError extends TansuoError {
  override readonly name = "McpConfigError";
  readonly kind = "user";
}
