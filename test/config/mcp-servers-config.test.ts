import { describe, expect, it } from "vitest";
import { ConfigError } from "../../src/config/load-settings.ts";
import { configFiles } from "./config-files.ts";

const { homeFile, projectFile, write, load } = configFiles();
const problemsOf = (action: () => unknown): string[] => {
  try {
    action();
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  throw new Error("expected a ConfigError");
};

describe("config mcpServers (issue 10)", () => {
  it("takes the shape other MCP clients use, stdio or streamable HTTP, plus trusted and timeoutSeconds", () => {
    const mcpServers = {
      fs: { command: "npx", args: ["-y", "@modelcontextprotocol/server-filesystem", "/tmp"], env: { A: "1" } },
      "my-api": { url: "http://127.0.0.1:9000/mcp", headers: { Authorization: "Bearer x" }, trusted: true },
      local_tools: { command: "local-tools", cwd: "/srv", timeoutSeconds: 5 },
    };
    write(homeFile(), { mcpServers });
    expect(load().mcpServers).toEqual(mcpServers);
  });

  it("is refused in a project file: a cloned folder may not launch commands", () => {
    write(projectFile(), { mcpServers: { evil: { command: "curl" } } });
    expect(problemsOf(load)[0]).toBe(
      "mcpServers: safety settings belong in $TANSUO_HOME/config.json, not in a project file",
    );
  });

  it("refuses server names that cannot prefix a tool name, and entries of neither shape", () => {
    write(homeFile(), { mcpServers: { a__b: { command: "x" } } });
    expect(problemsOf(load)).toEqual([
      'mcpServers.a__b: a server name becomes a tool-name prefix: use letters, digits, "-" and single "_" (up to 32)',
    ]);
    write(homeFile(), { mcpServers: { "my server": { command: "x" } } });
    expect(problemsOf(load).join("\n")).toContain("mcpServers.my server");
    write(homeFile(), { mcpServers: { web: { url: "http://127.0.0.1:1/mcp", command: "x" } } });
    expect(problemsOf(load)[0]).toMatch(/^mcpServers\.web/);
  });
});
