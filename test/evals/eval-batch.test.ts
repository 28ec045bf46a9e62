import { existsSync, mkdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { CommanderError } from "commander";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { createEvalCommand } from "../../src/cli/commands/eval.ts";
import type { CodeTask } from "../../src/evals/code/code-task.ts";
import { loadHumanEval } from "../../src/evals/datasets/humaneval.ts";
import type { SampleResult } from "../../src/evals/run/sample-result.ts";
import type { EvalSummary } from "../../src/evals/run/summarize.ts";
import { Catalog } from "../../src/models/catalog.ts";
import { resolveModel } from "../../src/models/resolve-model.ts";
import { startAnthropicBatchServer } from "../support/anthropic-batch-server.ts";
import { runCli, spawnCli, waitFor } from "../support/cli-process.ts";
import { type OpenAiBatchServer, startOpenAiBatchServer } from "../support/openai-batch-server.ts";
import { evalCliContext } from "./support/cli-context.ts";
import { dataDirectory, temporaryFolder } from "./support/paths.ts";

const apiKey = "sk-batch-test-key";
let humanEval: CodeTask[];
const servers: Array<Pick<OpenAiBatchServer, "close">> = [];
beforeAll(async () => {
  humanEval = await loadHumanEval(dataDirectory);
});
afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => server.close()));
});

/** HumanEval/0's reference as a whole function when the prompt asks for it, else a wrong one. */
function codeFor(prompt: string): string {
  const index = humanEval.findIndex((task) => prompt.includes(`def ${task.entryPoint}(`));
  const task = humanEval[index] as CodeTask;
  const code =
    index === 0 ? `${task.prompt}${task.referenceCompletion}` : `def ${task.entryPoint}(*args):\n    return 0\n`;
  return `\`\`\`python\n${code}\`\`\`\n`;
}

/** Answers HumanEval/0 with its reference and every other task wrongly; 1000 prompt tokens (200 cached), 100 out. */
async function batchServer() {
  const server = await startOpenAiBatchServer({
    apiKey,
    answer: (body) => {
      return {
        content: codeFor(body.messages.map((message) => JSON.stringify(message.content)).join("\n")),
        usage: { promptTokens: 1000, cachedTokens: 200, completionTokens: 100 },
      };
    },
  });
  servers.push(server);
  return server;
}

describe("tansuo eval --batch", () => {
  it("sends one OpenAI batch, resumes it after the process is killed mid-poll, and prices it as billed", {
    timeout: 120_000,
  }, async () => {
    const server = await batchServer();
    const folder = temporaryFolder("batch");
    const workspace = path.join(folder, "workspace");
    mkdirSync(workspace);
    const out = path.join(folder, "out");
    const env = {
      TANSUO_HOME: path.join(folder, "home"),
      OPENAI_API_KEY: apiKey,
      OPENAI_BASE_URL: server.url,
      TANSUO_BATCH_POLL_SECONDS: "0.05",
    };
    const args = ["eval", "humaneval", "--model", "gpt-5-mini", "--batch", "--limit", "2"];
    const all = [...args, "--data", dataDirectory, "--out", out, "--json"];

    const first = spawnCli(all, { env, cwd: workspace });
    await waitFor(() => server.polls >= 2);
    expect(existsSync(path.join(out, "batch.json"))).toBe(true);
    first.kill("SIGKILL");
    await first.result;
    expect(
      existsSync(path.join(out, "results.jsonl")) && readFileSync(path.join(out, "results.jsonl"), "utf8"),
    ).toBeFalsy();

    server.release();
    const second = await runCli(all, { env, cwd: workspace });
    expect(second.exitCode).toBe(0);
    // One file, one batch: the rerun polled the recorded batch instead of sending (and paying for) another.
    expect(server.uploads).toHaveLength(1);
    expect(server.batchesCreated).toBe(1);
    const lines = (server.uploads[0] as string)
      .trim()
      .split("\n")
      .map((line) => JSON.parse(line));
    expect(lines).toHaveLength(2);
    expect(lines.map((line) => line.custom_id).sort()).toEqual(["tansuo-0", "tansuo-1"]);
    expect(lines[0]).toMatchObject({ method: "POST", url: "/v1/chat/completions", body: { model: "gpt-5-mini" } });
    expect(second.stderr).toMatch(/batch batch_\d+: completed/);

    const summary = JSON.parse(second.stdout) as EvalSummary;
    // By hand at gpt-5-mini's list price (USD per million tokens: hit 0.025, miss 0.25, output 2) times the batch
    // share 0.5 (0.0125, 0.125, 1): one answer is 200 x 0.0125 + 800 x 0.125 + 100 x 1 = 2.5 + 100 + 100 = 202.5
    // per million = 0.0002025; two answers 0.000405; one task solved, so 0.000405 per solved task.
    expect(summary).toMatchObject({
      suite: "humaneval",
      model: "gpt-5-mini",
      tasks: 2,
      passAt1: 0.5,
      tokens: { input: 2000, cached: 400, uncached: 1600, output: 200 },
      costUsd: "0.000405",
      costPerSolvedUsd: "0.000405",
      latencyMs: null,
      complete: true,
    });
    const results = readFileSync(path.join(out, "results.jsonl"), "utf8")
      .trim()
      .split("\n")
      .map((line) => JSON.parse(line) as SampleResult);
    expect(results.map((result) => result.costUsd)).toEqual(["0.0002025", "0.0002025"]);
    expect(existsSync(path.join(out, "batch.json"))).toBe(false);

    // Everything is scored: a third run sends nothing.
    const third = await runCli(all, { env, cwd: workspace });
    expect(third.exitCode).toBe(0);
    expect(server.batchesCreated).toBe(1);
  });

  const catalog = Catalog.builtIn();
  async function refused(args: string[], message: string) {
    const modelsDirectory = temporaryFolder("models");
    const context = evalCliContext((spec, options) =>
      resolveModel(spec, {
        catalog,
        env: { DEEPSEEK_API_KEY: "sk-unused", ANTHROPIC_API_KEY: "sk-unused" },
        modelsDirectory,
        ...(options?.baseUrl ? { baseUrl: options.baseUrl } : {}),
      }),
    );
    const error = await createEvalCommand(context.context)
      .exitOverride()
      .parseAsync([...args, "--limit", "1", "--data", dataDirectory], { from: "user" })
      .then(
        () => undefined,
        (thrown: unknown) => thrown,
      );
    expect(error).toBeInstanceOf(CommanderError);
    expect((error as CommanderError).exitCode).toBe(2);
    expect(context.stderr.text()).toContain(message);
  }

  it("names the providers that have a batch API when the model's has none, and needs --out", async () => {
    const out = temporaryFolder("batch-refused");
    await refused(
      ["humaneval", "--model", "deepseek-v4-flash", "--batch", "--out", out],
      "deepseek-v4-flash is a deepseek model, and deepseek has no batch API. --batch works with openai and anthropic models",
    );
    await refused(["humaneval", "--model", "gpt-5-mini", "--batch"], "--batch needs --out <dir>");
  });

  it("sends an Anthropic Message Batch and prices its answers at half the list price", {
    timeout: 60_000,
  }, async () => {
    const server = await startAnthropicBatchServer({
      apiKey,
      answer: (params) => ({
        text: codeFor(params.messages.map((message) => JSON.stringify(message.content)).join("\n")),
        usage: { inputTokens: 800, cacheReadTokens: 200, outputTokens: 100 },
      }),
    });
    servers.push(server);
    const folder = temporaryFolder("anthropic-batch");
    const workspace = path.join(folder, "workspace");
    mkdirSync(workspace);
    const out = path.join(folder, "out");
    const result = await runCli(
      ["eval", "humaneval", "--model", "claude-sonnet-4-5", "--base-url", server.url, "--batch", "--limit", "2"].concat(
        ["--data", dataDirectory, "--out", out, "--json"],
      ),
      {
        env: { TANSUO_HOME: path.join(folder, "home"), ANTHROPIC_API_KEY: apiKey, TANSUO_BATCH_POLL_SECONDS: "0.05" },
        cwd: workspace,
      },
    );
    expect(result.exitCode).toBe(0);
    expect(server.created).toHaveLength(1);
    const requests = server.created[0] ?? [];
    expect(requests.map((request) => request.custom_id)).toEqual(["tansuo-0", "tansuo-1"]);
    expect(requests[0]?.params).toMatchObject({ model: "claude-sonnet-4-5" });
    // Polled while in progress, then read once ended.
    expect(result.stderr).toContain("batch msgbatch_0: in_progress (0/2 requests done)");
    expect(result.stderr).toContain("batch msgbatch_0: ended (2/2 requests done)");
    const summary = JSON.parse(result.stdout) as EvalSummary;
    // By hand at claude-sonnet-4-5's list price (USD per million tokens: read 0.30, input 3, output 15) times the
    // batch share 0.5 (0.15, 1.5, 7.5): one answer is 200 x 0.15 + 800 x 1.5 + 100 x 7.5 = 30 + 1200 + 750 = 1980
    // per million = 0.00198; two answers 0.00396; one task solved.
    expect(summary).toMatchObject({
      model: "claude-sonnet-4-5",
      tasks: 2,
      passAt1: 0.5,
      tokens: { cached: 400, uncached: 1600, output: 200 },
      costUsd: "0.00396",
      costPerSolvedUsd: "0.00396",
      complete: true,
    });
    expect(existsSync(path.join(out, "batch.json"))).toBe(false);
  });
});
