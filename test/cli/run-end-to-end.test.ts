import { mkdirSync, readFileSync, rmSync } from "node:fs";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { Usd } from "../../src/cost/usd.ts";
import { cliSandbox, runCli, spawnCli, waitFor } from "../support/cli-process.ts";
import { type ScriptedCompletion, startDeepSeekServer } from "../support/deepseek-server/index.ts";

const apiKey = "sk-e2e-secret-key-000111";
const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0)) await cleanup();
});

async function setup(options: Parameters<typeof startDeepSeekServer>[0]) {
  const server = await startDeepSeekServer({ apiKey, ...options });
  const sandbox = cliSandbox();
  mkdirSync(sandbox.workspace, { recursive: true });
  cleanups.push(
    () => server.close(),
    () => rmSync(sandbox.folder, { recursive: true, force: true }),
  );
  const env = { TANSUO_HOME: sandbox.home, DEEPSEEK_API_KEY: apiKey, TANSUO_RETRY_SCALE: "0.01" };
  const cli = (args: string[]) => runCli(args, { env, cwd: sandbox.workspace });
  return { server, sandbox, env, cli };
}

describe("tansuo run, end to end against a local DeepSeek-format server", () => {
  it("runs a multi-step task with reasoning, tool calls, keep-alives and a 429, and bills it exactly", async () => {
    const replies: ScriptedCompletion[] = [
      {
        keepAlives: 2,
        reasoningContent: "I will write the file first.",
        toolCalls: [{ name: "write_file", arguments: { path: "hello.txt", content: "hi there" } }],
        usage: { promptTokens: 1800, cacheHitTokens: 0, completionTokens: 60, reasoningTokens: 25 },
      },
      {
        reasoningContent: "Now check it.",
        toolCalls: [{ name: "read_file", arguments: { path: "hello.txt" } }],
        usage: { promptTokens: 1900, cacheHitTokens: 1792, completionTokens: 40, reasoningTokens: 12 },
      },
      {
        keepAlives: 1,
        reasoningContent: "It is right.",
        content: "Wrote hello.txt with a greeting.",
        usage: { promptTokens: 2000, cacheHitTokens: 1856, completionTokens: 30, reasoningTokens: 8 },
      },
    ];
    const { server, sandbox, cli } = await setup({
      rules: { reasoningContent: "v3.2-requires-on-tool-turns" },
      script: [replies[0]!, { status: 429, retryAfterSeconds: 0 }, replies[1]!, replies[2]!],
    });
    const result = await cli([
      "run",
      "--model",
      "deepseek-v4-flash",
      "--base-url",
      server.url,
      "--json",
      "--thinking",
      "on",
      "Write a greeting to hello.txt",
    ]);
    expect(result.stderr).not.toContain(apiKey);
    expect(result.exitCode).toBe(0);
    const json = JSON.parse(result.stdout);
    expect(json).toMatchObject({ status: "succeeded", output: "Wrote hello.txt with a greeting.", steps: 3 });
    expect(json.usage).toEqual({
      inputTokens: 5700,
      cacheHitTokens: 3648,
      cacheMissTokens: 2052,
      outputTokens: 130,
      reasoningTokens: 45,
    });
    // By hand at deepseek-v4-flash's price from 2026-04-26 (USD per million tokens: hit 0.0028, miss 0.14, output
    // 0.28): 3648 x 0.0028 + 2052 x 0.14 + 130 x 0.28 = 10.2144 + 287.28 + 36.4 = 333.8944 per million.
    expect(json.costUsd).toBe("0.0003338944");
    expect(readFileSync(path.join(sandbox.workspace, "hello.txt"), "utf8")).toBe("hi there");
    expect(server.remainingScript()).toEqual([]);
    expect(server.requests).toHaveLength(4);
    // Thinking on: the request carries DeepSeek's toggle, and reasoning went back on the tool turns (no 400).
    expect((server.requests[0]!.body as Record<string, unknown>).thinking).toEqual({ type: "enabled" });

    const shown = await cli(["runs", "show", json.id, "--json"]);
    const transcript = JSON.parse(shown.stdout);
    expect(transcript.steps.map((step: { reasoning: string }) => step.reasoning)).toEqual([
      "I will write the file first.",
      "Now check it.",
      "It is right.",
    ]);
    expect(transcript.steps[0].toolCalls[0]).toMatchObject({ toolName: "write_file", status: "finished" });
    expect(transcript.steps[1].toolCalls[0].output).toContain("hi there");
    const listed = JSON.parse((await cli(["runs", "list", "--json"])).stdout);
    expect(listed[0]).toMatchObject({ id: json.id, status: "succeeded" });
  });

  it("ends budget_exhausted with costUsd within a tiny budget, exit code 3", async () => {
    const { server, cli } = await setup({
      script: [
        {
          toolCalls: [{ name: "list_files", arguments: {} }],
          usage: { promptTokens: 4000, cacheHitTokens: 0, completionTokens: 2000 },
        },
      ],
    });
    // deepseek-v4-flash now: miss 0.14, out 0.28 per 1M. Step 1 costs $0.00112; the next step cannot fit in what is left.
    const result = await cli([
      "run",
      "--model",
      "deepseek-v4-flash",
      "--base-url",
      server.url,
      "--budget",
      "0.0013",
      "--json",
      "list the files",
    ]);
    expect(result.exitCode).toBe(3);
    const json = JSON.parse(result.stdout);
    expect(json.status).toBe("budget_exhausted");
    expect(Usd.compare(json.costUsd, "0.0013")).toBeLessThanOrEqual(0);
    expect(json.costUsd).toBe("0.00112");
    expect(server.remainingScript()).toEqual([]);
  });

  it("after kill -9 mid-run, resume continues from the last committed step and no side effect happens twice", async () => {
    const { server, sandbox, env, cli } = await setup({
      script: [
        {
          toolCalls: [{ name: "run_command", arguments: { command: "echo once >> side-effect.txt" } }],
          usage: { promptTokens: 900, completionTokens: 20 },
        },
        // The process is killed while it waits for this answer; the reply is lost with it.
        { delayMs: 20_000, content: "never seen", usage: { promptTokens: 950, completionTokens: 5 } },
        { content: "Finished after resume.", usage: { promptTokens: 960, completionTokens: 6 } },
      ],
    });
    const child = spawnCli(
      ["run", "--model", "deepseek-chat", "--base-url", server.url, "--approval", "auto", "--json", "append a line"],
      {
        env,
        cwd: sandbox.workspace,
      },
    );
    await waitFor(() => server.requests.length >= 2);
    child.kill("SIGKILL");
    await child.result;
    const [run] = JSON.parse((await cli(["runs", "list", "--json"])).stdout);
    // Its owner is gone, so it is shown interrupted with the way on, not `running` forever.
    expect(run.status).toBe("interrupted");
    expect(run.steps).toBe(1);
    const listed = (await cli(["runs", "list"])).stdout;
    expect(listed).toMatch(new RegExp(`^${run.id}\\s+interrupted\\s+1\\s`, "m"));
    expect(listed).toContain(
      `interrupted: its process stopped mid-run (killed or crashed); \`tansuo resume ${run.id}\``,
    );
    const shownBefore = (await cli(["runs", "show", run.id])).stdout;
    expect(shownBefore.split("\n")[0]).toMatch(new RegExp(`^run ${run.id} · interrupted · deepseek-chat · \\$`));
    expect(shownBefore).toContain(
      `interrupted: its process stopped mid-run (killed or crashed); \`tansuo resume ${run.id}\``,
    );

    const resumed = await cli(["resume", run.id, "--json"]);
    expect(resumed.exitCode).toBe(0);
    // The call lost in the crash is billed at its worst case as a discarded step, so the budget stays true.
    expect(JSON.parse(resumed.stdout)).toMatchObject({
      status: "succeeded",
      output: "Finished after resume.",
      steps: 3,
    });
    expect(readFileSync(path.join(sandbox.workspace, "side-effect.txt"), "utf8")).toBe("once\n");
    const transcript = JSON.parse((await cli(["runs", "show", run.id, "--json"])).stdout);
    const reasons = transcript.steps.map((step: { finishReason: string }) => step.finishReason);
    expect(reasons).toEqual(["tool_calls", "lost-in-crash", "stop"]);
    expect(transcript.steps[1]).toMatchObject({ discarded: true, price: { estimated: true } });
    expect(Usd.compare(transcript.steps[1].costUsd, "0")).toBe(1);
    expect(server.remainingScript()).toEqual([]);
  });

  it("a tool call killed mid-way is shown on resume and re-run only with approval", async () => {
    const { server, sandbox, env, cli } = await setup({
      script: [
        {
          toolCalls: [
            {
              name: "run_command",
              arguments: { command: "echo start >> side-effect.txt; sleep 30; echo end >> side-effect.txt" },
            },
          ],
          usage: { promptTokens: 900, completionTokens: 20 },
        },
        { content: "Stopped as asked.", usage: { promptTokens: 950, completionTokens: 5 } },
      ],
    });
    const child = spawnCli(
      ["run", "--model", "deepseek-chat", "--base-url", server.url, "--approval", "auto", "--json", "long task"],
      {
        env,
        cwd: sandbox.workspace,
      },
    );
    const sideEffect = path.join(sandbox.workspace, "side-effect.txt");
    await waitFor(() => {
      try {
        return readFileSync(sideEffect, "utf8").includes("start");
      } catch {
        return false;
      }
    });
    child.kill("SIGKILL");
    await child.result;
    const [run] = JSON.parse((await cli(["runs", "list", "--json"])).stdout);

    const paused = await cli(["resume", run.id, "--approval", "ask", "--json"]);
    expect(paused.exitCode).toBe(4);
    expect(JSON.parse(paused.stdout).status).toBe("awaiting_approval");
    expect(paused.stderr).toMatch(/run_command .*needs approval \(interrupted\)/);

    const denied = await cli(["approve", run.id, "--deny", "--json"]);
    expect(denied.exitCode).toBe(0);
    expect(JSON.parse(denied.stdout)).toMatchObject({ status: "succeeded", output: "Stopped as asked." });
    expect(readFileSync(sideEffect, "utf8")).toBe("start\n");
    const lastRequest = server.requests.at(-1)?.body as { messages: { role: string; content: string }[] };
    expect(lastRequest.messages.at(-1)).toMatchObject({ role: "tool" });
    expect(lastRequest.messages.at(-1)?.content).toMatch(/denied/);
  });

  it("gives one clear error for an unknown model and a bad config file", async () => {
    const { sandbox, cli } = await setup({});
    const unknown = await cli(["run", "--model", "no-such-model", "hello"]);
    // A usage mistake found before any run exists (issue 11, the first hour).
    expect(unknown.exitCode).toBe(2);
    expect(unknown.stderr).toMatch(/Unknown model "no-such-model".*tansuo models/);
    mkdirSync(sandbox.home, { recursive: true });
    const { writeFileSync } = await import("node:fs");
    writeFileSync(
      path.join(sandbox.home, "config.json"),
      JSON.stringify({ models: [{ id: "mine", provider: "openai-compatible", contextWindow: "big" }] }),
    );
    const bad = await cli(["models"]);
    expect(bad.exitCode).toBe(1);
    expect(bad.stderr).toContain(path.join(sandbox.home, "config.json"));
    expect(bad.stderr).toMatch(/models\.0 \(mine\)\.contextWindow/);
  });
});
