import { randomUUID } from "node:crypto";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import type { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import { StreamableHTTPServerTransport } from "@modelcontextprotocol/sdk/server/streamableHttp.js";

export interface McpHttpListener {
  /** `http://127.0.0.1:<port>/mcp` */
  url: string;
  close(): Promise<void>;
}

const host = "127.0.0.1";
const endpoint = "/mcp";

/** Answers with a JSON-RPC error body, as streamable HTTP clients expect for refusals. */
function refuse(response: ServerResponse, status: number, message: string): void {
  response.writeHead(status, { "content-type": "application/json" });
  response.end(JSON.stringify({ jsonrpc: "2.0", error: { code: -32000, message }, id: null }));
}

/**
 * Streamable HTTP for `tansuo mcp serve --http <port>`, bound to 127.0.0.1 only. Each session (one `initialize`)
 * gets its own MCP server from `createSession`. The Host must be this address and an Origin, if sent, this
 * server's own, so a web page cannot reach it through DNS rebinding.
 */
export async function startMcpHttpListener(options: {
  port: number;
  createSession: () => McpServer;
}): Promise<McpHttpListener> {
  const sessions = new Map<string, StreamableHTTPServerTransport>();
  let allowedHosts: Set<string> = new Set();

  const handle = async (request: IncomingMessage, response: ServerResponse) => {
    if (!allowedHosts.has(request.headers.host ?? "")) {
      return refuse(response, 403, `Host "${request.headers.host}" is not this server's; use ${[...allowedHosts][0]}.`);
    }
    const origin = request.headers.origin;
    if (origin !== undefined && !allowedHosts.has(origin.replace(/^http:\/\//, ""))) {
      return refuse(response, 403, `Origin ${origin} may not call this MCP server.`);
    }
    if (new URL(request.url ?? "/", "http://localhost").pathname !== endpoint) {
      return refuse(response, 404, `Not found: the MCP endpoint is ${endpoint}.`);
    }
    const sessionId = request.headers["mcp-session-id"];
    if (typeof sessionId === "string") {
      const transport = sessions.get(sessionId);
      if (!transport) return refuse(response, 404, `No session ${sessionId}; start a new one with initialize.`);
      return await transport.handleRequest(request, response);
    }
    if (request.method !== "POST") return refuse(response, 400, "Start a session with an initialize POST first.");
    const transport = new StreamableHTTPServerTransport({
      sessionIdGenerator: () => randomUUID(),
      onsessioninitialized: (id) => {
        sessions.set(id, transport);
      },
    });
    transport.onclose = () => {
      if (transport.sessionId) sessions.delete(transport.sessionId);
    };
    await options.createSession().connect(transport);
    await transport.handleRequest(request, response);
  };

  const server = createServer((request, response) => {
    handle(request, response).catch((error: unknown) => {
      if (!response.headersSent) refuse(response, 500, error instanceof Error ? error.message : String(error));
      else response.end();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port, host, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  allowedHosts = new Set([`${host}:${port}`, `localhost:${port}`]);
  return {
    url: `http://${host}:${port}${endpoint}`,
    async close() {
      await Promise.allSettled([...sessions.values()].map((transport) => transport.close()));
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
