import { describe, expect, it } from "vitest";
import { McpConfigError } from "../../../src/tools/mcp/mcp-errors.ts";
import { openMcpSession } from "../../../src/tools/mcp/mcp-session.ts";

describe("MCP sessions for resumed runs (issue 10)", () => {
  it("keeps a resumed run's tool names when their server does not start: they answer with its error", async () => {
    const session = await openMcpSession({ gone: { command: "/nonexistent/mcp-server" } }, ["gone"], {
      expectedTools: ["read_file", "gone__lookup", "other__tool"],
    });
    expect(session.serverNames).toEqual([]);
    expect(session.tools.map((tool) => tool.name)).toEqual(["gone__lookup"]);
    const context = { signal: new AbortController().signal, warn: () => {} } as never;
    await expect(session.tools[0]!.execute({}, context)).rejects.toThrow(
      'MCP server "gone" did not start: spawn /nonexistent/mcp-server ENOENT.\nDo not call gone__lookup again',
    );
    await session.close();
  });

  it("refuses server names the config does not declare, naming the ones it does", async () => {
    await expect(openMcpSession({ fs: { command: "x" } }, ["fs", "typo"])).rejects.toThrow(
      new McpConfigError('No MCP server named "typo" in $TANSUO_HOME/config.json (mcpServers). Configured: fs.'),
    );
  });
});
