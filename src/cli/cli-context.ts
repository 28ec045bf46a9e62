import type { AgentRuntime } from "../agent/index.ts";
import type { Settings } from "../config/settings-schema.ts";
import type { ReadOnlyCatalog } from "../models/read-only-catalog.ts";
import type { ResolvedModel } from "../models/resolved-model.ts";
import type { RetryPolicy } from "../models/retry-policy.ts";
import type { Store } from "../store/store.ts";
import type { Telemetry } from "../telemetry/telemetry.ts";
import type { McpSession } from "../tools/mcp/mcp-session.ts";

/** What every command needs from the outside world; tests build one with captured streams. */
export interface CliContext {
  /** Resolves `--model` (catalog id, provider/model, or a .gguf path) with the user's config applied. */
  resolveModel(
    spec: string | undefined,
    options?: { baseUrl?: string; retryPolicy?: RetryPolicy },
  ): Promise<ResolvedModel>;
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
  stdin: NodeJS.ReadableStream;
  /** True when stdout is a terminal: draw progress; otherwise print plain lines. */
  isTerminal: boolean;
  /** $TANSUO_HOME, default ~/.tansuo. */
  homeDirectory: string;
  cwd: string;
  env: NodeJS.ProcessEnv;
  settings: Settings;
  catalog: ReadOnlyCatalog;
  /** Spans for runs and gateway requests, when config or OTEL_* variables turn telemetry on (set before the action runs). */
  telemetry?: Telemetry;
  /** Opens the store once per process: --store, TANSUO_STORE, config `store`, else $TANSUO_HOME/tansuo.db. */
  openStore(): Store;
  /** The agent runtime over the store, created once per process. */
  runtime(): AgentRuntime;
  /**
   * Starts the named MCP servers (config `mcpServers`) for the run this process executes; their tools join the
   * runtime, so it is called before runtime(). Close the session when the run ends.
   */
  openMcpServers(serverNames: readonly string[], options?: { expectedTools?: readonly string[] }): Promise<McpSession>;
}
