import { randomUUID } from "node:crypto";
import { createServer, type IncomingMessage } from "node:http";
import type { AddressInfo } from "node:net";
import { McpServer, type RegisteredTool } from "@modelcontextprotocol/sdk/server/mcp.js";
import { StreamableHTTPServerTransport } from "@modelcontextprotocol/sdk/server/streamableHttp.js";
import { z } from "zod";

/**
 * A streamable HTTP MCP server on 127.0.0.1 built with the SDK: a `note` tool that keeps what it is sent, a
 * `fail` tool that throws, and a way to add or remove tools while clients are connected (list_changed).
 */
export async function startHttpMcpServer() {
  const notes: string[] = [];
  const headersSeen: IncomingMessage["headers"][] = [];
  const servers: McpServer[] = [];
  const registered: Record<string, RegisteredTool>[] = [];
  const transports = new Map<string, StreamableHTTPServerTransport>();
  const newServer = () => {
    const server = new McpServer({ name: "notes", version: "1.0.0" });
    const tools = {
      note: server.registerTool(
        "note",
        { description: "Keeps a note.\nSecond line.", inputSchema: { text: z.string() } },
        async ({ text }) => {
          notes.push(text);
          return { content: [{ type: "text", text: `kept note ${notes.length}` }] };
        },
      ),
      fail: server.registerTool("fail", { description: "Always fails." }, async () => {
        throw new Error("the notes database is locked");
      }),
    };
    servers.push(server);
    registered.push(tools);
    return server;
  };
  const http = createServer(async (request, response) => {
    headersSeen.push(request.headers);
    const sessionId = request.headers["mcp-session-id"];
    let transport = typeof sessionId === "string" ? transports.get(sessionId) : undefined;
    if (!transport) {
      const created = new StreamableHTTPServerTransport({
        sessionIdGenerator: () => randomUUID(),
        onsessioninitialized: (id) => {
          transports.set(id, created);
        },
      });
      await newServer().connect(created);
      transport = created;
    }
    await transport.handleRequest(request, response);
  });
  await new Promise<void>((resolve) => http.listen(0, "127.0.0.1", resolve));
  const { port } = http.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/mcp`,
    notes,
    headersSeen,
    /** Adds a tool on every connected session; the SDK sends notifications/tools/list_changed. */
    addTool(name: string) {
      for (const server of servers) {
        server.registerTool(name, { description: `Added later: ${name}.` }, async () => ({
          content: [{ type: "text", text: `${name} ran` }],
        }));
      }
    },
    removeTool(name: string) {
      for (const tools of registered) tools[name]?.remove();
    },
    async close() {
      for (const server of servers) await server.close().catch(() => {});
      http.closeAllConnections();
      await new Promise((resolve) => http.close(resolve));
    },
  };
}
