import { existsSync, mkdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { CommanderError } from "commander";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { createEvalCommand } from "../../src/cli/commands/eval.ts";
import type { CodeTask } from "../../src/evals/code/code-task.ts";
import type { Comparison } from "../../src/evals/compare/comparison.ts";
import { loadHumanEval } from "../../src/evals/datasets/humaneval.ts";
import { runCli } from "../support/cli-process.ts";
import { type DeepSeekServer, startDeepSeekServer } from "../support/deepseek-server/index.ts";
import { evalCliContext } from "./support/cli-context.ts";
import { dataDirectory, temporaryFolder } from "./support/paths.ts";

const apiKey = "sk-eval-models-test";
let humanEval: CodeTask[];
const servers: DeepSeekServer[] = [];
beforeAll(async () => {
  humanEval = await loadHumanEval(dataDirectory);
});
afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => server.close()));
});

/**
 * deepseek-v4-flash answers HumanEval/0 and /1 with their references every time; deepseek-v4-pro answers /0 right
 * every time and /1 right only the first time it is asked. Every answer bills 1000 prompt tokens (no cache hit)
 * and 100 completion tokens.
 */
async function twoModelServer() {
  const asked = new Map<string, number>();
  const server = await startDeepSeekServer({
    apiKey,
    fallback: (request) => {
      const body = request.body as { model: string; messages: Array<{ content: string }> };
      const prompt = body.messages.map((message) => message.content).join("\n");
      const index = humanEval.findIndex((task) => prompt.includes(`def ${task.entryPoint}(`));
      const task = humanEval[index] as CodeTask;
      const key = `${body.model} ${index}`;
      const times = (asked.get(key) ?? 0) + 1;
      asked.set(key, times);
      const right = body.model === "deepseek-v4-flash" || index === 0 || times === 1;
      const code = right
        ? `${task.prompt}${task.referenceCompletion}`
        : `def ${task.entryPoint}(*args):\n    return 0\n`;
      return {
        content: `\`\`\`python\n${code}\`\`\`\n`,
        usage: { promptTokens: 1000, cacheHitTokens: 0, completionTokens: 100 },
      };
    },
  });
  servers.push(server);
  return server;
}

describe("tansuo eval --models", () => {
  it("runs the suite on each model into its own folder and writes one comparison", { timeout: 120_000 }, async () => {
    const server = await twoModelServer();
    const folder = temporaryFolder("models");
    const workspace = path.join(folder, "workspace");
    mkdirSync(workspace);
    const out = path.join(folder, "out");
    const args = ["eval", "humaneval", "--models", "deepseek-v4-flash,deepseek-v4-pro", "--limit", "2"];
    const result = await runCli([...args, "--samples", "2", "--data", dataDirectory, "--out", out, "--json"], {
      env: { TANSUO_HOME: path.join(folder, "home"), DEEPSEEK_API_KEY: apiKey, DEEPSEEK_BASE_URL: server.url },
      cwd: workspace,
    });
    expect(result.stderr).not.toContain("Error");
    expect(result.exitCode).toBe(0);
    // Two tasks, two samples each, on two models.
    expect(server.requests).toHaveLength(8);
    const printed = JSON.parse(result.stdout) as Comparison;
    const written = JSON.parse(readFileSync(path.join(out, "comparison.json"), "utf8")) as Comparison;
    expect(written).toEqual(printed);
    expect(written.suite).toBe("humaneval");
    // By hand at the catalog's prices from 2026-04-26 (USD per million tokens, miss / output): flash 0.14 / 0.28,
    // so one answer is 1000 x 0.14 + 100 x 0.28 = 168 per million = 0.000168, four answers 0.000672; pro 0.435 /
    // 0.87, one answer 435 + 87 = 522 per million, four 0.002088. Flash solves both tasks every time: pass@1 1,
    // per solved 0.000672 / 2 = 0.000336. Pro solves /0 twice and /1 once of two: pass@1 (1 + 0.5) / 2 = 0.75,
    // pass@2 (1 + 1) / 2 = 1, 1.5 tasks expected solved, per solved 0.002088 / 1.5 = 0.001392.
    expect(written.models).toEqual([
      {
        id: "deepseek-v4-flash",
        directory: "deepseek-v4-flash",
        tasks: 2,
        samplesPerTask: 2,
        passAt1: 1,
        passAtK: { "pass@2": 1 },
        solvedTasks: 2,
        costUsd: "0.000672",
        costPerSolvedUsd: "0.000336",
        costPerTaskUsd: "0.000168",
        tokens: { input: 4000, cached: 0, uncached: 4000, cacheWrite: 0, output: 400, reasoning: 0 },
        complete: true,
      },
      {
        id: "deepseek-v4-pro",
        directory: "deepseek-v4-pro",
        tasks: 2,
        samplesPerTask: 2,
        passAt1: 0.75,
        passAtK: { "pass@2": 1 },
        solvedTasks: 1.5,
        costUsd: "0.002088",
        costPerSolvedUsd: "0.001392",
        costPerTaskUsd: "0.000522",
        tokens: { input: 4000, cached: 0, uncached: 4000, cacheWrite: 0, output: 400, reasoning: 0 },
        complete: true,
      },
    ]);
    const markdown = readFileSync(path.join(out, "comparison.md"), "utf8");
    expect(markdown).toContain("| deepseek-v4-flash | deepseek-v4-flash | 2 × 2 | 100.0% | pass@2 100.0% | 2.0 |");
    expect(markdown).toContain("| deepseek-v4-pro | deepseek-v4-pro | 2 × 2 | 75.0% | pass@2 100.0% | 1.5 |");
    expect(markdown).toContain("](comparison-pass-rate-vs-cost.svg)");
    const chart = readFileSync(path.join(out, "comparison-pass-rate-vs-cost.svg"), "utf8");
    expect(chart).toContain("deepseek-v4-flash: 100.0%");
    expect(chart).toContain("deepseek-v4-pro: 75.0%");
    // Each model's folder is an ordinary run folder, resumable as one: a rerun asks nothing again.
    for (const model of ["deepseek-v4-flash", "deepseek-v4-pro"]) {
      expect(existsSync(path.join(out, model, "results.jsonl"))).toBe(true);
      expect(existsSync(path.join(out, model, "report.md"))).toBe(true);
    }
    const again = await runCli([...args, "--samples", "2", "--data", dataDirectory, "--out", out, "--json"], {
      env: { TANSUO_HOME: path.join(folder, "home"), DEEPSEEK_API_KEY: apiKey, DEEPSEEK_BASE_URL: server.url },
      cwd: workspace,
    });
    expect(again.exitCode).toBe(0);
    expect(server.requests).toHaveLength(8);
    expect((JSON.parse(again.stdout) as Comparison).models).toEqual(written.models);
  });

  it("refuses --model with --models, --reference with --models, and --models without --out", async () => {
    const refused = async (args: string[], message: string) => {
      const context = evalCliContext();
      const command = createEvalCommand(context.context).exitOverride();
      const error = await command.parseAsync(args, { from: "user" }).then(
        () => undefined,
        (thrown: unknown) => thrown,
      );
      expect(error).toBeInstanceOf(CommanderError);
      expect((error as CommanderError).exitCode).toBe(2);
      expect(context.stderr.text()).toContain(message);
    };
    await refused(
      ["humaneval", "--model", "deepseek-v4-flash", "--models", "deepseek-v4-pro", "--out", "x"],
      "--model and --models are exclusive",
    );
    await refused(["humaneval", "--reference", "--models", "deepseek-v4-pro"], "leave out --model and --models");
    await refused(["humaneval", "--models", "deepseek-v4-pro"], "--models writes one folder per model");
  });
});
