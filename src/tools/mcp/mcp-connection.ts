import { setMaxListeners } from "node:events";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StdioClientTransport } from "@modelcontextprotocol/sdk/client/stdio.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import type { Transport } from "@modelcontextprotocol/sdk/shared/transport.js";
import {
  type CallToolResult,
  ErrorCode,
  McpError,
  type Tool as McpToolDefinition,
  ToolListChangedNotificationSchema,
} from "@modelcontextprotocol/sdk/types.js";
import { McpServerError } from "./mcp-errors.ts";
import type { McpServerSettings } from "./mcp-server-settings.ts";
import {
  acceptedDefinitions,
  maximumToolCount,
  maximumToolPages,
  toolListingDeadlineMilliseconds,
} from "./mcp-tool-limits.ts";
import { StderrTail } from "./stderr-tail.ts";

export type { McpToolDefinition };

// A server that has not answered `initialize` by then is reported as not starting.
const startTimeoutMilliseconds = 30_000;

const clientInfo = { name: "tansuo", version: "0.1.0" };

/**
 * One MCP server, over stdio (a child process) or streamable HTTP: its tools (re-read when it says they
 * changed), tool calls with a time limit and the run's signal, and one restart when it died before a call.
 * Every failure is an McpServerError naming the server and quoting its stderr tail.
 */
export class McpConnection {
  readonly stderr = new StderrTail();
  private client: Client | undefined;
  private transport: Transport | undefined;
  private alive = false;
  private closing = false;
  private definitions: McpToolDefinition[] = [];
  /** Why tools the server listed were left out (duplicates, refused schemas), from the last listing. */
  listingWarnings: string[] = [];
  // One re-read of the tool list at a time; notifications meanwhile ask for one more after it, not one each.
  private rereading: Promise<void> | undefined;
  private rereadAgain = false;
  // Shared by calls that find the server dead at once (read-only calls run together): one restart, not several.
  private restarting: Promise<void> | undefined;

  private constructor(
    readonly serverName: string,
    readonly settings: McpServerSettings,
  ) {}

  /** Starts (or reaches) the server and reads its tools; an McpServerError when it does not come up. */
  static async open(serverName: string, settings: McpServerSettings): Promise<McpConnection> {
    const connection = new McpConnection(serverName, settings);
    await connection.connect("did not start");
    return connection;
  }

  /** The server's tools as last listed. */
  get tools(): readonly McpToolDefinition[] {
    return this.definitions;
  }

  tool(name: string): McpToolDefinition | undefined {
    return this.definitions.find((definition) => definition.name === name);
  }

  /** The stdio server's process id while it runs (tests kill it to show a server dying mid-run). */
  get pid(): number | undefined {
    return this.transport instanceof StdioClientTransport ? (this.transport.pid ?? undefined) : undefined;
  }

  /** Calls a tool; restarts the server once first when it had died. Errors are McpServerErrors. */
  async callTool(
    name: string,
    input: unknown,
    options: { signal: AbortSignal; timeoutMilliseconds: number; warn: (message: string) => void },
  ): Promise<CallToolResult> {
    if (!this.alive) {
      this.restarting ??= this.connect("had stopped and did not restart").finally(() => {
        this.restarting = undefined;
      });
      await this.restarting;
      options.warn(`MCP server "${this.serverName}" had stopped; Tansuo restarted it.`);
    }
    try {
      const result = await this.client!.callTool(
        { name, arguments: (input ?? {}) as Record<string, unknown> },
        undefined,
        { signal: options.signal, timeout: options.timeoutMilliseconds },
      );
      return result as CallToolResult;
    } catch (error) {
      if (options.signal.aborted) throw error;
      throw await this.failure(`failed on ${name}`, error, options.timeoutMilliseconds);
    }
  }

  /** Ends the connection; a stdio server's process is stopped (stdin closed, then SIGTERM, then SIGKILL). */
  async close(): Promise<void> {
    this.closing = true;
    this.alive = false;
    await this.client?.close().catch(() => {});
  }

  private async connect(what: string): Promise<void> {
    const transport = this.createTransport();
    const client = new Client(clientInfo, { capabilities: {} });
    client.onclose = () => {
      if (this.client === client) this.alive = false;
    };
    client.setNotificationHandler(ToolListChangedNotificationSchema, async () => {
      void this.rereadTools(client);
    });
    this.client = client;
    this.transport = transport;
    try {
      await client.connect(transport, { timeout: startTimeoutMilliseconds });
      this.alive = true;
      await this.readTools(client);
    } catch (error) {
      this.alive = false;
      await client.close().catch(() => {});
      throw await this.failure(what, error, startTimeoutMilliseconds);
    }
  }

  private createTransport(): Transport {
    const settings = this.settings;
    if ("url" in settings) {
      return new StreamableHTTPClientTransport(new URL(settings.url), {
        requestInit: settings.headers ? { headers: settings.headers } : undefined,
      });
    }
    const transport = new StdioClientTransport({
      command: settings.command,
      args: settings.args,
      // The SDK adds only HOME, PATH, SHELL, TERM, USER and LOGNAME: no key of the user's reaches the server.
      env: settings.env,
      cwd: settings.cwd,
      stderr: "pipe",
    });
    this.stderr.follow(transport.stderr);
    return transport;
  }

  /**
   * Reads every page of the server's tools, at most 50 pages and 1,000 tools under one deadline: a server whose
   * cursor never ends fails to start with that said, instead of hanging start-up.
   */
  private async readTools(client: Client): Promise<void> {
    const definitions: McpToolDefinition[] = [];
    const deadline = AbortSignal.timeout(toolListingDeadlineMilliseconds);
    // Each page's request listens on the deadline: up to 50 listeners are expected, not a leak.
    setMaxListeners(maximumToolPages + 1, deadline);
    let cursor: string | undefined;
    let pages = 0;
    do {
      if (++pages > maximumToolPages) {
        throw new Error(`its tool list goes on past ${maximumToolPages} pages (tools/list keeps giving a nextCursor)`);
      }
      const page = await client
        .listTools(cursor ? { cursor } : undefined, { timeout: startTimeoutMilliseconds, signal: deadline })
        .catch((error: unknown) => {
          if (deadline.aborted) {
            throw new Error(`listing its tools took longer than ${toolListingDeadlineMilliseconds / 1000} s`);
          }
          throw error;
        });
      definitions.push(...page.tools);
      if (definitions.length > maximumToolCount) {
        throw new Error(`it lists more than ${maximumToolCount} tools`);
      }
      cursor = page.nextCursor;
    } while (cursor);
    const { accepted, warnings } = acceptedDefinitions(this.serverName, definitions);
    this.definitions = accepted;
    this.listingWarnings = warnings;
  }

  /** Re-reads the tool list on list_changed, coalesced: a flood of notifications costs at most two listings. */
  private rereadTools(client: Client): Promise<void> {
    if (this.rereading) {
      this.rereadAgain = true;
      return this.rereading;
    }
    this.rereading = (async () => {
      do {
        this.rereadAgain = false;
        // A failed re-read keeps the last list; the next call's error says what went wrong.
        await this.readTools(client).catch(() => {});
      } while (this.rereadAgain && this.client === client && this.alive);
    })().finally(() => {
      this.rereading = undefined;
    });
    return this.rereading;
  }

  private async failure(what: string, error: unknown, timeoutMilliseconds: number): Promise<McpServerError> {
    // The child's last stderr lines arrive through a pipe: let them land before they are quoted.
    await new Promise((resolve) => setTimeout(resolve, 50));
    const reason =
      error instanceof McpError && error.code === ErrorCode.RequestTimeout
        ? `no answer within ${Math.round(timeoutMilliseconds / 1000)} s`
        : error instanceof McpError && error.code === ErrorCode.ConnectionClosed
          ? "the server closed the connection (it exited or crashed)"
          : error instanceof Error
            ? error.message
            : String(error);
    const closing = this.closing ? " (while Tansuo was closing it)" : "";
    return new McpServerError(
      this.serverName,
      `MCP server "${this.serverName}" ${what}${closing}: ${reason}.${this.stderr.describe()}`,
    );
  }
}
