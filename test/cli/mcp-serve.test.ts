import { existsSync, mkdirSync, rmSync, writeFileSync } from "node:fs";
import { request } from "node:http";
import path from "node:path";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StdioClientTransport } from "@modelcontextprotocol/sdk/client/stdio.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import { afterEach, describe, expect, it } from "vitest";
import { cliSandbox, repositoryRoot, runCli, spawnCli, waitFor } from "../support/cli-process.ts";
import { type ScriptedReply, startDeepSeekServer } from "../support/deepseek-server/index.ts";

const apiKey = "sk-mcp-serve-test-000111";
const cleanups: (() => Promise<unknown> | unknown)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** A fake DeepSeek, a $TANSUO_HOME whose config points deepseek-v4-flash at it, and one configured agent. */
async function setup(script: ScriptedReply[]) {
  const upstream = await startDeepSeekServer({ apiKey, script });
  const sandbox = cliSandbox();
  mkdirSync(sandbox.workspace, { recursive: true });
  mkdirSync(sandbox.home, { recursive: true });
  cleanups.push(
    () => rmSync(sandbox.folder, { recursive: true, force: true }),
    () => upstream.close(),
  );
  const config = {
    defaultModel: "deepseek-v4-flash",
    models: [{ id: "deepseek-v4-flash", baseUrl: upstream.url }],
    agents: {
      "code reviewer": {
        instructions: "Reviews a change for bugs.\nAnswer in one paragraph.",
        model: "deepseek-v4-flash",
        budgetUsd: 0.5,
        tools: ["read_file"],
      },
    },
  };
  writeFileSync(path.join(sandbox.home, "config.json"), JSON.stringify(config));
  const env = { TANSUO_HOME: sandbox.home, DEEPSEEK_API_KEY: apiKey, TANSUO_RETRY_SCALE: "0.01", HOME: sandbox.home };
  const cli = (args: string[]) => runCli(args, { env, cwd: sandbox.workspace });
  return { upstream, sandbox, env, cli };
}

async function stdioClient(env: Record<string, string>, cwd: string): Promise<Client> {
  const transport = new StdioClientTransport({
    command: process.execPath,
    args: [path.join(repositoryRoot, "bin/tansuo.js"), "mcp", "serve"],
    env: { PATH: process.env.PATH ?? "/usr/bin:/bin", ...env },
    cwd,
    stderr: "pipe",
  });
  const client = new Client({ name: "tansuo-test", version: "1.0.0" });
  await client.connect(transport);
  cleanups.push(() => client.close());
  return client;
}

const textOf = (result: Awaited<ReturnType<Client["callTool"]>>) =>
  (result.content as { type: string; text: string }[]).map((part) => part.text).join("\n");

describe("tansuo mcp serve", () => {
  it("lists run_agent and the configured agent's tool, answers run_agent with a durable run and its exact cost", async () => {
    const { upstream, sandbox, env, cli } = await setup([
      { content: "Hello from Tansuo.", usage: { promptTokens: 1000, cacheHitTokens: 0, completionTokens: 50 } },
    ]);
    const client = await stdioClient(env, sandbox.workspace);

    const { tools } = await client.listTools();
    expect(tools.map((tool) => tool.name).sort()).toEqual(["code_reviewer", "run_agent"]);
    const reviewer = tools.find((tool) => tool.name === "code_reviewer");
    expect(reviewer?.description).toContain("Reviews a change for bugs.");
    expect(reviewer?.description).not.toContain("Answer in one paragraph");
    expect(reviewer?.description).toContain("refused (approval: deny)");
    expect(Object.keys(reviewer?.inputSchema.properties ?? {}).sort()).toEqual(["budgetUsd", "task"]);
    const runAgent = tools.find((tool) => tool.name === "run_agent");
    expect(Object.keys(runAgent?.inputSchema.properties ?? {}).sort()).toEqual(["agent", "budgetUsd", "model", "task"]);
    expect(runAgent?.outputSchema?.properties).toHaveProperty("costUsd");

    const progress: number[] = [];
    const result = await client.callTool({ name: "run_agent", arguments: { task: "Say hello" } }, undefined, {
      onprogress: (notification) => progress.push(notification.progress),
    });
    expect(result.isError).toBeFalsy();
    // By hand at deepseek-v4-flash's price (USD per million tokens: miss 0.14, output 0.28):
    // 1000 x 0.14 + 50 x 0.28 = 140 + 14 = 154 per million.
    expect(result.structuredContent).toMatchObject({
      status: "succeeded",
      answer: "Hello from Tansuo.",
      costUsd: "0.000154",
    });
    const runId = (result.structuredContent as { runId: string }).runId;
    expect(textOf(result)).toContain("Hello from Tansuo.");
    expect(textOf(result)).toContain(runId);
    expect(progress).toEqual([1]);
    expect(upstream.remainingScript()).toEqual([]);

    const shown = JSON.parse((await cli(["runs", "show", runId, "--json"])).stdout);
    expect(shown).toMatchObject({ id: runId, status: "succeeded", output: "Hello from Tansuo.", costUsd: "0.000154" });
    expect(shown.settings).toMatchObject({ workspace: sandbox.workspace, approval: "deny" });
    const listed = JSON.parse((await cli(["runs", "list", "--json"])).stdout);
    expect(listed[0]).toMatchObject({ id: runId, status: "succeeded" });
  }, 60_000);

  it("lets a caller lower an agent's budget but never raise it, and names what exists for an unknown agent or model", async () => {
    const reply = { content: "Looks fine.", usage: { promptTokens: 1000, cacheHitTokens: 0, completionTokens: 10 } };
    const { upstream, sandbox, env, cli } = await setup([reply, reply]);
    const client = await stdioClient(env, sandbox.workspace);

    const lowered = await client.callTool({ name: "code_reviewer", arguments: { task: "Review", budgetUsd: 0.2 } });
    expect(lowered.structuredContent).toMatchObject({ status: "succeeded", answer: "Looks fine.", budgetUsd: "0.2" });
    const raised = await client.callTool({ name: "code_reviewer", arguments: { task: "Review", budgetUsd: 5 } });
    expect(raised.structuredContent).toMatchObject({ status: "succeeded", budgetUsd: "0.5" });
    const raisedId = (raised.structuredContent as { runId: string }).runId;
    const shown = JSON.parse((await cli(["runs", "show", raisedId, "--json"])).stdout);
    expect(shown.settings).toMatchObject({ budgetUsd: "0.5", agentName: "code reviewer", tools: ["read_file"] });

    const unknownAgent = await client.callTool({ name: "run_agent", arguments: { task: "x", agent: "writer" } });
    expect(unknownAgent.isError).toBe(true);
    expect(textOf(unknownAgent)).toBe('No agent "writer" in the config. Configured agents: code reviewer.');
    const unknownModel = await client.callTool({ name: "run_agent", arguments: { task: "x", model: "gpt-9" } });
    expect(unknownModel.isError).toBe(true);
    expect(textOf(unknownModel)).toContain('Unknown model "gpt-9"');
    expect(textOf(unknownModel)).toContain("deepseek-v4-flash");
    // A path, a download URI or a free-form spec is no model this server offers: refused unread, naming the ids.
    for (const model of [
      "/etc/passwd",
      "../../x.gguf",
      "hf:someone/model-GGUF",
      "openai-compatible/http://169.254.169.254/",
    ]) {
      const refused = await client.callTool({ name: "run_agent", arguments: { task: "x", model } });
      expect(refused.isError).toBe(true);
      expect(textOf(refused)).toContain(`Unknown model "${model}": this server runs only the models it offers:`);
      expect(textOf(refused)).toContain("deepseek-v4-flash");
      expect(textOf(refused)).not.toContain("root");
      const viaAgent = await client.callTool({
        name: "run_agent",
        arguments: { task: "x", agent: "code reviewer", model },
      });
      expect(viaAgent.isError).toBe(true);
      expect(textOf(viaAgent)).toContain(`Unknown model "${model}"`);
    }
    // Refused before any run: the two agent runs are all the store holds, and the upstream saw two calls.
    expect(JSON.parse((await cli(["runs", "list", "--json"])).stdout)).toHaveLength(2);
    expect(upstream.requests).toHaveLength(2);
  }, 60_000);

  it("refuses tools that need approval by default, since nobody can answer a prompt through MCP", async () => {
    const { upstream, sandbox, env, cli } = await setup([
      { toolCalls: [{ name: "run_command", arguments: { command: "touch note.txt" } }] },
      { content: "I was not allowed to run the command." },
    ]);
    const client = await stdioClient(env, sandbox.workspace);
    const result = await client.callTool({ name: "run_agent", arguments: { task: "Touch note.txt" } });
    expect(result.structuredContent).toMatchObject({
      status: "succeeded",
      answer: "I was not allowed to run the command.",
    });
    expect(existsSync(path.join(sandbox.workspace, "note.txt"))).toBe(false);
    const runId = (result.structuredContent as { runId: string }).runId;
    const shown = JSON.parse((await cli(["runs", "show", runId, "--json"])).stdout);
    expect(shown.steps[0].toolCalls[0]).toMatchObject({ toolName: "run_command", status: "denied" });
    expect(upstream.remainingScript()).toEqual([]);
  }, 60_000);

  it("records a run cancelled when the client cancels the tool call", async () => {
    const { upstream, sandbox, env, cli } = await setup([{ content: "too late", delayMs: 20_000 }]);
    const client = await stdioClient(env, sandbox.workspace);
    const controller = new AbortController();
    const call = client.callTool({ name: "run_agent", arguments: { task: "Take your time" } }, undefined, {
      signal: controller.signal,
    });
    await waitFor(() => upstream.requests.length === 1);
    controller.abort(new Error("the user changed their mind"));
    await expect(call).rejects.toThrow();
    let runs: { id: string; status: string }[] = [];
    const deadline = Date.now() + 15_000;
    while (Date.now() < deadline) {
      runs = JSON.parse((await cli(["runs", "list", "--json"])).stdout);
      if (runs[0]?.status === "cancelled") break;
    }
    expect(runs).toHaveLength(1);
    expect(runs[0]?.status).toBe("cancelled");
  }, 60_000);

  it("serves streamable HTTP on 127.0.0.1 only, printing its URL, and refuses a foreign Host", async () => {
    const { sandbox, env, cli } = await setup([
      { content: "Over HTTP.", usage: { promptTokens: 2000, cacheHitTokens: 1000, completionTokens: 100 } },
    ]);
    const child = spawnCli(["mcp", "serve", "--http", "0"], { env, cwd: sandbox.workspace });
    let stderr = "";
    child.stderr?.on("data", (chunk) => {
      stderr += chunk;
    });
    cleanups.push(async () => {
      child.kill("SIGTERM");
      await child.result;
    });
    await waitFor(() => /listening on http:\/\/127\.0\.0\.1:\d+\/mcp/.test(stderr));
    const url = /(http:\/\/127\.0\.0\.1:\d+\/mcp)/.exec(stderr)?.[1] as string;

    const client = new Client({ name: "tansuo-test", version: "1.0.0" });
    await client.connect(new StreamableHTTPClientTransport(new URL(url)));
    cleanups.push(() => client.close());
    expect((await client.listTools()).tools.map((tool) => tool.name)).toContain("run_agent");
    const result = await client.callTool({ name: "run_agent", arguments: { task: "Answer over HTTP" } });
    // By hand: 1000 hit x 0.0028 + 1000 miss x 0.14 + 100 out x 0.28 = 2.8 + 140 + 28 = 170.8 per million.
    expect(result.structuredContent).toMatchObject({ status: "succeeded", answer: "Over HTTP.", costUsd: "0.0001708" });
    const runId = (result.structuredContent as { runId: string }).runId;
    const shown = JSON.parse((await cli(["runs", "show", runId, "--json"])).stdout);
    expect(shown).toMatchObject({ status: "succeeded", costUsd: "0.0001708" });

    const foreign = await new Promise<number | undefined>((resolve, reject) => {
      const probe = request(url, {
        method: "POST",
        headers: { host: "evil.example", "content-type": "application/json" },
      });
      probe.on("response", (response) => {
        response.resume();
        resolve(response.statusCode);
      });
      probe.on("error", reject);
      probe.end("{}");
    });
    expect(foreign).toBe(403);
  }, 60_000);
});
