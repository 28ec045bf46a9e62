import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { afterEach, describe, expect, it } from "vitest";
import { cliSandbox, repositoryRoot, runCli, spawnCli, waitFor } from "../support/cli-process.ts";
import { type ScriptedCompletion, startDeepSeekServer } from "../support/deepseek-server/index.ts";

const apiKey = "sk-mcp-cli-000444";
const binary = (name: string) => path.join(repositoryRoot, "node_modules/.bin", name);
const tsxLoader = pathToFileURL(path.join(repositoryRoot, "node_modules/tsx/dist/loader.mjs")).href;
const appendServer = path.join(repositoryRoot, "test/fixtures/append-mcp-server.ts");
const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

const isAlive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

async function setup(script: (workspace: string) => ScriptedCompletion[]) {
  const sandbox = cliSandbox();
  const server = await startDeepSeekServer({ apiKey, script: script(sandbox.workspace) });
  mkdirSync(sandbox.workspace, { recursive: true });
  mkdirSync(sandbox.home, { recursive: true });
  const file = (name: string) => path.join(sandbox.workspace, name);
  const read = (name: string) => (existsSync(file(name)) ? readFileSync(file(name), "utf8") : "");
  const startedPids = () => read("starts.log").split("\n").filter(Boolean).map(Number);
  cleanups.push(
    () => server.close(),
    () => rmSync(sandbox.folder, { recursive: true, force: true }),
    () => {
      for (const pid of startedPids()) if (isAlive(pid)) process.kill(pid, "SIGKILL");
    },
  );
  const servers = {
    fs: { command: binary("mcp-server-filesystem"), args: [sandbox.workspace] },
    app: { command: process.execPath, args: ["--import", tsxLoader, appendServer], cwd: sandbox.workspace },
    bad: { command: path.join(sandbox.folder, "no-such-server") },
  };
  const configure = (mcpServers: Record<string, unknown>) =>
    writeFileSync(path.join(sandbox.home, "config.json"), JSON.stringify({ mcpServers }));
  configure(servers);
  const env = { TANSUO_HOME: sandbox.home, DEEPSEEK_API_KEY: apiKey, TANSUO_RETRY_SCALE: "0.01" };
  const cli = (args: string[]) => runCli(args, { env, cwd: sandbox.workspace });
  const runArgs = ["run", "--model", "deepseek-v4-flash", "--base-url", server.url, "--approval", "auto", "--json"];
  return { server, sandbox, servers, configure, env, cli, runArgs, file, read, startedPids };
}

const toolNamesSent = (body: unknown): string[] =>
  ((body as { tools?: { function: { name: string } }[] }).tools ?? []).map((tool) => tool.function.name);

describe("tansuo mcp list and tansuo run --mcp (issue 10)", () => {
  it("lists each configured server, whether it starts, and its tools", async () => {
    const { cli } = await setup(() => []);
    const listed = await cli(["mcp", "list", "--json"]);
    expect(listed.exitCode).toBe(1);
    const servers = JSON.parse(listed.stdout) as {
      name: string;
      started: boolean;
      error?: string;
      tools: { name: string }[];
    }[];
    expect(servers.map((server) => [server.name, server.started])).toEqual([
      ["fs", true],
      ["app", true],
      ["bad", false],
    ]);
    expect(servers[0]!.tools.map((tool) => tool.name)).toEqual(
      expect.arrayContaining(["fs__read_text_file", "fs__write_file"]),
    );
    expect(servers[1]!.tools).toEqual([
      { name: "app__append", description: "Appends a line to side-effect.txt.", readOnly: false },
    ]);
    expect(servers[2]!.error).toMatch(/^MCP server "bad" did not start: spawn .*no-such-server ENOENT\.$/);
  });

  it("offers the tools of the servers --mcp names, none with --mcp none, and all by default with a warning for one that fails", async () => {
    const { server, cli, runArgs, read } = await setup((workspace) => [
      {
        toolCalls: [
          { name: "fs__write_file", arguments: { path: path.join(workspace, "out.txt"), content: "via MCP" } },
        ],
        usage: { promptTokens: 900, completionTokens: 20 },
      },
      { content: "Wrote it.", usage: { promptTokens: 950, completionTokens: 5 } },
      { content: "No MCP here.", usage: { promptTokens: 500, completionTokens: 5 } },
      { content: "All of them.", usage: { promptTokens: 500, completionTokens: 5 } },
    ]);
    const picked = await cli([...runArgs, "--mcp", "fs", "write out.txt"]);
    expect(picked.stderr).not.toContain("warning");
    expect(JSON.parse(picked.stdout)).toMatchObject({ status: "succeeded", output: "Wrote it." });
    expect(read("out.txt")).toBe("via MCP");
    const firstTools = toolNamesSent(server.requests[0]!.body);
    expect(firstTools).toEqual(expect.arrayContaining(["read_file", "run_command", "fs__write_file"]));
    expect(firstTools.some((name) => name.startsWith("app__"))).toBe(false);
    const runId = JSON.parse(picked.stdout).id;
    const shown = JSON.parse((await cli(["runs", "show", runId, "--json"])).stdout);
    expect(shown.settings.mcpServers).toEqual(["fs"]);

    const none = await cli([...runArgs, "--mcp", "none", "answer"]);
    expect(JSON.parse(none.stdout)).toMatchObject({ status: "succeeded" });
    expect(toolNamesSent(server.requests[2]!.body).some((name) => name.includes("__"))).toBe(false);

    const all = await cli([...runArgs, "answer"]);
    expect(JSON.parse(all.stdout)).toMatchObject({ status: "succeeded", output: "All of them." });
    expect(all.stderr).toMatch(
      /^warning: MCP server "bad" did not start: spawn .*ENOENT\.\n\(the run goes on without its tools\)\n/,
    );
    const allTools = toolNamesSent(server.requests[3]!.body);
    expect(allTools).toEqual(expect.arrayContaining(["fs__write_file", "app__append"]));
    expect(server.remainingScript()).toEqual([]);
  });

  it("a run killed during a non-idempotent MCP call restarts its server on resume and does not repeat the call", async () => {
    const { server, servers, configure, cli, runArgs, read, startedPids, env, sandbox } = await setup(() => [
      {
        toolCalls: [{ id: "append", name: "app__append", arguments: { text: "line" } }],
        usage: { promptTokens: 900, completionTokens: 20 },
      },
      { content: "Appended.", usage: { promptTokens: 950, completionTokens: 5 } },
    ]);
    const killed = spawnCli([...runArgs, "--mcp", "app", "append a line"], { env, cwd: sandbox.workspace });
    await waitFor(() => read("side-effect.txt") === "line\n");
    killed.kill("SIGKILL");
    await killed.result;
    // The server's stdin ended with its client: it goes too.
    await waitFor(() => !isAlive(startedPids()[0]!), 10_000);
    const [run] = JSON.parse((await cli(["runs", "list", "--json"])).stdout);

    configure({ fs: servers.fs });
    const withoutServer = await cli(["resume", run.id, "--json"]);
    expect(withoutServer.exitCode).toBe(1);
    expect(withoutServer.stderr).toContain(
      `Run ${run.id} used the MCP server(s) "app", which $TANSUO_HOME/config.json (mcpServers) no longer declares.`,
    );

    configure(servers);
    const resumed = await cli(["resume", run.id, "--approval", "auto", "--json"]);
    expect(resumed.exitCode).toBe(4);
    expect(JSON.parse(resumed.stdout)).toMatchObject({ id: run.id, status: "awaiting_approval" });
    expect(startedPids()).toHaveLength(2);
    expect(read("side-effect.txt")).toBe("line\n");

    const denied = await cli(["approve", run.id, "--deny", "--json"]);
    expect(JSON.parse(denied.stdout)).toMatchObject({ id: run.id, status: "succeeded", output: "Appended." });
    expect(read("side-effect.txt")).toBe("line\n");
    expect(toolNamesSent(server.requests.at(-1)!.body)).toContain("app__append");
    expect(server.remainingScript()).toEqual([]);
  });
});
