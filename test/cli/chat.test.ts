import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { SqliteStore } from "../../src/store/sqlite-store.ts";
import { cliSandbox, runCli, spawnCli, waitFor } from "../support/cli-process.ts";
import { type RecordedRequest, startDeepSeekServer } from "../support/deepseek-server/index.ts";
import { cachedPrefixTokens } from "../support/deepseek-server/prefix-cache.ts";

const apiKey = "sk-chat-test-key-000222";
const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0)) await cleanup();
});

async function setup(options: Parameters<typeof startDeepSeekServer>[0]) {
  const server = await startDeepSeekServer({ apiKey, prefixCache: true, ...options });
  const sandbox = cliSandbox();
  mkdirSync(sandbox.workspace, { recursive: true });
  cleanups.push(
    () => server.close(),
    () => rmSync(sandbox.folder, { recursive: true, force: true }),
  );
  // deepseek-v4-flash is moved to the local server by the provider's environment variable.
  const env = {
    TANSUO_HOME: sandbox.home,
    DEEPSEEK_API_KEY: apiKey,
    DEEPSEEK_BASE_URL: server.url,
    TANSUO_RETRY_SCALE: "0.01",
  };
  const cli = (args: string[], input?: string) => runCli(args, { env, cwd: sandbox.workspace, input });
  return { server, sandbox, cli };
}

type WireMessage = { role: string; content: unknown };
const messagesOf = (request: RecordedRequest) => (request.body as { messages: WireMessage[] }).messages;
const chatRequests = (requests: readonly RecordedRequest[]) =>
  requests.filter((request) => request.path.endsWith("/chat/completions"));

describe("tansuo chat, scripted over standard input", () => {
  it("is one run of three messages whose later calls start with the earlier call byte for byte, and hit the cache", async () => {
    const { server, cli } = await setup({
      script: [{ content: "answer one" }, { content: "answer two" }, { content: "answer three" }],
    });
    const input = "first question\nsecond question\n/tools\n\nthird question\n/cost\n/exit\nnever sent\n";
    const result = await cli(["chat", "--model", "deepseek-v4-flash"], input);
    expect(result.stderr).not.toContain(apiKey);
    expect(result.exitCode).toBe(0);
    expect(result.stdout).toBe("answer one\nanswer two\nanswer three\n");
    const runId = /chat run (run_\w+)/.exec(result.stderr)?.[1];
    expect(result.stderr).toContain(`tansuo resume ${runId}`);
    expect(result.stderr).toMatch(/read_file.*write_file/);
    expect(result.stderr).toMatch(/\$[\d.]+ · 3 step\(s\)/);

    const requests = chatRequests(server.requests);
    expect(requests).toHaveLength(3);
    const prompts = requests.map(messagesOf);
    for (const [index, previous] of prompts.slice(0, -1).entries()) {
      const next = prompts[index + 1]!;
      expect(JSON.stringify(next.slice(0, previous.length))).toBe(JSON.stringify(previous));
      expect(next.slice(previous.length)).toEqual([
        { role: "assistant", content: ["answer one", "answer two"][index] },
        { role: "user", content: ["second question", "third question"][index] },
      ]);
    }
    // The fake server reports DeepSeek-style hits (whole 64-token units of the shared prefix); Tansuo bills them.
    const earlier = prompts.map((messages) => JSON.stringify(messages));
    const expectedHits = earlier.map((json, index) => cachedPrefixTokens(json, earlier.slice(0, index)));
    expect(expectedHits[0]).toBe(0);
    expect(expectedHits[1]).toBeGreaterThan(0);
    expect(expectedHits[2]).toBeGreaterThan(expectedHits[1]!);

    const listed = JSON.parse((await cli(["runs", "list", "--json"])).stdout);
    expect(listed).toHaveLength(1);
    expect(listed[0]).toMatchObject({ id: runId, status: "succeeded", steps: 3, output: "answer three" });
    const shown = JSON.parse((await cli(["runs", "show", runId!, "--json"])).stdout);
    expect(shown.steps.map((step: { usage: { cacheHitTokens: number } }) => step.usage.cacheHitTokens)).toEqual(
      expectedHits,
    );
  });
});

describe("tansuo chat --base-url", () => {
  it("sends every message of the session to the OpenAI-compatible server it names, as run --base-url does", async () => {
    const { server, sandbox } = await setup({ script: [{ content: "answer one" }, { content: "answer two" }] });
    // No DEEPSEEK_BASE_URL here: only --base-url points the model at the local server.
    const env = { TANSUO_HOME: sandbox.home, DEEPSEEK_API_KEY: apiKey, TANSUO_RETRY_SCALE: "0.01" };
    const result = await runCli(["chat", "--model", "deepseek-v4-flash", "--base-url", server.url], {
      env,
      cwd: sandbox.workspace,
      input: "first question\nsecond question\n",
    });
    expect(result.exitCode).toBe(0);
    expect(result.stdout).toBe("answer one\nanswer two\n");
    expect(chatRequests(server.requests)).toHaveLength(2);
    const [run] = JSON.parse((await runCli(["runs", "list", "--json"], { env, cwd: sandbox.workspace })).stdout);
    const shown = JSON.parse(
      (await runCli(["runs", "show", run.id, "--json"], { env, cwd: sandbox.workspace })).stdout,
    );
    expect(shown.settings.baseUrl).toBe(server.url);
  });
});

describe("tansuo chat interrupted", () => {
  it("stops the current step on SIGINT (Ctrl-C) and keeps the session: the next message continues the same run", async () => {
    const { server, sandbox } = await setup({
      script: [{ content: "too late", delayMs: 20_000 }, { content: "answer two" }],
    });
    const env = {
      TANSUO_HOME: sandbox.home,
      DEEPSEEK_API_KEY: apiKey,
      DEEPSEEK_BASE_URL: server.url,
      TANSUO_RETRY_SCALE: "0.01",
    };
    const child = spawnCli(["chat", "--model", "deepseek-v4-flash"], {
      env,
      cwd: sandbox.workspace,
      input: "first question\nsecond question\n",
    });
    cleanups.push(() => {
      child.kill("SIGKILL");
    });
    await waitFor(() => chatRequests(server.requests).length === 1);
    child.kill("SIGINT");
    const result = await child.result;
    expect(result.exitCode).toBe(0);
    expect(result.stdout).toBe("answer two\n");
    expect(result.stderr).toContain("stopped; the next message continues the run");
    const second = messagesOf(chatRequests(server.requests)[1]!);
    expect(second.slice(1)).toEqual([
      { role: "user", content: "first question" },
      { role: "user", content: "second question" },
    ]);
    const listed = JSON.parse((await runCli(["runs", "list", "--json"], { env, cwd: sandbox.workspace })).stdout);
    expect(listed).toHaveLength(1);
    expect(listed[0]).toMatchObject({ status: "succeeded", output: "answer two" });
  });
});

describe("tansuo run --continue and --agent", () => {
  it("adds a follow-up to a finished run and continues the same run", async () => {
    const { server, cli } = await setup({ script: [{ content: "Paris." }, { content: "About 2.1 million." }] });
    const first = JSON.parse(
      (await cli(["run", "--model", "deepseek-v4-flash", "--json", "What is the capital of France?"])).stdout,
    );
    const continued = await cli(["run", "--continue", first.id, "--json", "And", "its", "population?"]);
    expect(continued.exitCode).toBe(0);
    expect(JSON.parse(continued.stdout)).toMatchObject({
      id: first.id,
      status: "succeeded",
      output: "About 2.1 million.",
      steps: 2,
    });
    const second = messagesOf(chatRequests(server.requests)[1]!);
    expect(second.slice(-3)).toEqual([
      { role: "user", content: "What is the capital of France?" },
      { role: "assistant", content: "Paris." },
      { role: "user", content: "And its population?" },
    ]);
    expect(JSON.parse((await cli(["runs", "list", "--json"])).stdout)).toHaveLength(1);

    // The transcript shows the follow-up in its place: after the first answer, before the step that answers it.
    const shown = (await cli(["runs", "show", first.id])).stdout;
    const lines = shown.split("\n");
    const message = lines.indexOf("── message 1 (after step 1) ──");
    expect(message).toBeGreaterThan(lines.indexOf("  Paris."));
    expect(lines[message + 1]).toBe("  And its population?");
    expect(lines.findIndex((line) => line.startsWith("── step 2 "))).toBe(message + 3);
    const json = JSON.parse((await cli(["runs", "show", first.id, "--json"])).stdout);
    expect(json.messages).toEqual([
      { index: 0, afterStep: 1, content: "And its population?", createdAt: expect.any(String) },
    ]);
  });

  it("refuses a running or cancelled run, leaving it as it was and calling no model", async () => {
    const { server, sandbox, cli } = await setup({ script: [] });
    const store = new SqliteStore(path.join(sandbox.home, "tansuo.db"));
    const settings = {
      task: "t",
      model: "deepseek-v4-flash",
      workspace: sandbox.workspace,
      maxSteps: 5,
      thinking: "auto" as const,
      approval: "deny" as const,
      tools: [],
      alwaysAllowedTools: [],
    };
    const running = await store.createRun({ settings });
    await store.setRunStatus(running.id, "running");
    const cancelled = await store.createRun({ settings });
    await store.setRunStatus(cancelled.id, "cancelled");
    store.close();

    const onRunning = await cli(["run", "--continue", running.id, "more"]);
    expect(onRunning.exitCode).toBe(1);
    expect(onRunning.stderr).toContain(`Run ${running.id} is running; wait for it to end`);
    const onCancelled = await cli(["run", "--continue", cancelled.id, "more"]);
    expect(onCancelled.exitCode).toBe(1);
    expect(onCancelled.stderr).toContain("a cancel is final");
    const missing = await cli(["run", "--continue", "run_nothing", "more"]);
    expect(missing.stderr).toContain("No run with id run_nothing");
    expect(chatRequests(server.requests)).toHaveLength(0);
    const listed = JSON.parse((await cli(["runs", "list", "--json"])).stdout);
    expect(listed.map((run: { status: string }) => run.status).sort()).toEqual(["cancelled", "running"]);
  });

  it("runs an agent from config with its instructions, model, steps and budget; an unknown agent is exit 2", async () => {
    const { server, sandbox, cli } = await setup({ script: [{ content: "Terse answer." }] });
    mkdirSync(sandbox.home, { recursive: true });
    const agentWorkspace = path.join(sandbox.folder, "agent-space");
    writeFileSync(
      path.join(sandbox.home, "config.json"),
      JSON.stringify({
        agents: {
          terse: {
            instructions: "Answer in three words.",
            model: "deepseek-v4-flash",
            tools: ["read_file", "list_files"],
            maxSteps: 3,
            budgetUsd: 0.5,
            approval: "deny",
            workspace: agentWorkspace,
          },
        },
      }),
    );
    const result = await cli(["run", "--agent", "terse", "--json", "Say", "hello"]);
    expect(result.exitCode).toBe(0);
    const run = JSON.parse(result.stdout);
    expect(run).toMatchObject({ status: "succeeded", output: "Terse answer." });
    const request = chatRequests(server.requests)[0]!;
    const body = request.body as { model: string; tools: { function: { name: string } }[] };
    expect(JSON.stringify(messagesOf(request)[0])).toContain("Answer in three words.");
    expect(body.tools.map((tool) => tool.function.name)).toEqual(["read_file", "list_files"]);
    const shown = JSON.parse((await cli(["runs", "show", run.id, "--json"])).stdout);
    expect(shown.settings).toMatchObject({
      agentName: "terse",
      model: "deepseek-v4-flash",
      maxSteps: 3,
      budgetUsd: "0.5",
      workspace: agentWorkspace,
    });

    const unknown = await cli(["run", "--agent", "nobody", "hello"]);
    expect(unknown.exitCode).toBe(2);
    expect(unknown.stderr).toContain('No agent "nobody" in the config. Configured agents: terse.');
  });
});
