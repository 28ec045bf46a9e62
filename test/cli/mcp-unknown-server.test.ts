import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { cliSandbox, runCli } from "../support/cli-process.ts";

const folders: string[] = [];
afterEach(() => {
  for (const folder of folders.splice(0)) rmSync(folder, { recursive: true, force: true });
});

describe("tansuo run --mcp with a server the config lacks", () => {
  it("exits 2 like other usage mistakes, naming the configured servers", async () => {
    const sandbox = cliSandbox();
    folders.push(sandbox.folder);
    mkdirSync(sandbox.workspace, { recursive: true });
    mkdirSync(sandbox.home, { recursive: true });
    writeFileSync(
      path.join(sandbox.home, "config.json"),
      JSON.stringify({ mcpServers: { fs: { command: "/nonexistent/server" } } }),
    );
    const result = await runCli(["run", "--mcp", "nope", "hi"], {
      env: { TANSUO_HOME: sandbox.home, DEEPSEEK_API_KEY: "sk-unused" },
      cwd: sandbox.workspace,
    });
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toContain(
      'No MCP server named "nope" in $TANSUO_HOME/config.json (mcpServers). Configured: fs.',
    );
  }, 30_000);
});
