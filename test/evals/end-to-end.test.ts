import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { createEvalCommand } from "../../src/cli/commands/eval.ts";
import type { CodeTask } from "../../src/evals/code/code-task.ts";
import { loadHumanEval } from "../../src/evals/datasets/humaneval.ts";
import type { SampleResult } from "../../src/evals/run/sample-result.ts";
import type { EvalSummary } from "../../src/evals/run/summarize.ts";
import { Catalog } from "../../src/models/catalog.ts";
import { resolveModel } from "../../src/models/resolve-model.ts";
import { type DeepSeekServer, startDeepSeekServer } from "../support/deepseek-server/index.ts";
import { tinyModelPath } from "../support/tiny-model.ts";
import { evalCliContext } from "./support/cli-context.ts";
import { dataDirectory, temporaryFolder } from "./support/paths.ts";

let humanEval: CodeTask[];
const servers: DeepSeekServer[] = [];
beforeAll(async () => {
  humanEval = await loadHumanEval(dataDirectory);
});
afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => server.close()));
});

const catalog = Catalog.builtIn();
const noRetries = { maxRetries: 0, initialDelayMilliseconds: 1, maxDelayMilliseconds: 1 };

function realModels(env: Record<string, string>) {
  const modelsDirectory = temporaryFolder("models");
  return evalCliContext((spec, options) =>
    resolveModel(spec, {
      catalog,
      env,
      modelsDirectory,
      retryPolicy: noRetries,
      ...(options?.baseUrl ? { baseUrl: options.baseUrl } : {}),
    }),
  );
}

/** `tansuo eval humaneval <modelFlags> --data … --out <out> --json`; returns the summary it prints. */
async function evalHumanEval(context: ReturnType<typeof evalCliContext>, out: string, modelFlags: string[]) {
  const args = ["humaneval", ...modelFlags, "--data", dataDirectory, "--out", out, "--json"];
  await createEvalCommand(context.context).exitOverride().parseAsync(args, { from: "user" });
  return JSON.parse(context.stdout.text()) as EvalSummary;
}

const readResults = (folder: string) =>
  readFileSync(path.join(folder, "results.jsonl"), "utf8")
    .trim()
    .split("\n")
    .map((line) => JSON.parse(line) as SampleResult);

describe("a model run through the real provider path", () => {
  it("scores fixed completions from a local DeepSeek-format server, with DeepSeek's usage and the catalog's price", async () => {
    // The server answers HumanEval/0 and /1 with their reference written as a whole function, /2 wrongly.
    const server = await startDeepSeekServer({
      apiKey: "sk-eval-test",
      fallback: (request) => {
        const messages = (request.body as { messages: Array<{ content: string }> }).messages;
        const prompt = messages.map((message) => message.content).join("\n");
        const index = humanEval.findIndex((task) => prompt.includes(`def ${task.entryPoint}(`));
        const task = humanEval[index] as CodeTask;
        const code =
          index < 2 ? `${task.prompt}${task.referenceCompletion}` : `def ${task.entryPoint}(*args):\n    return 0\n`;
        return {
          content: `Here is the function:\n\n\`\`\`python\n${code}\`\`\`\n`,
          usage: { promptTokens: 200, cacheHitTokens: 64, completionTokens: 80 },
        };
      },
    });
    servers.push(server);
    const out = temporaryFolder("deepseek");
    const context = realModels({ DEEPSEEK_API_KEY: "sk-eval-test" });
    const summary = await evalHumanEval(context, out, [
      "--model",
      "deepseek-chat",
      "--base-url",
      server.url,
      "--limit",
      "3",
    ]);

    expect(server.requests).toHaveLength(3);
    expect(server.requests.every((request) => request.headers.authorization === "Bearer sk-eval-test")).toBe(true);
    expect(server.requests[0]?.body).toMatchObject({ model: "deepseek-chat", temperature: 0 });
    expect(summary).toMatchObject({
      suite: "humaneval",
      model: "deepseek-chat",
      tasks: 3,
      passAt1: 2 / 3,
      tokens: { input: 600, cached: 192, uncached: 408, output: 240 },
      complete: true,
    });
    const results = readResults(out);
    // Worked by hand at deepseek-chat's price from 2026-04-26 (USD per million tokens: hit 0.0028, miss 0.14,
    // output 0.28). One call: 64 x 0.0028 + 136 x 0.14 + 80 x 0.28 = 0.1792 + 19.04 + 22.4 = 41.6192 per million
    // = 0.0000416192; three calls = 0.0001248576; per solved task (2) = 0.0000624288. A new price row changes these.
    expect(summary.costUsd).toBe("0.0001248576");
    expect(summary.costPerSolvedUsd).toBe("0.0000624288");
    expect(summary.latencyMs).not.toBeNull();
    expect(results.map((result) => result.status).sort()).toEqual(["failed", "passed", "passed"]);
    expect(results[0]?.answer).toContain("Here is the function:");
    expect(existsSync(path.join(out, "report.md"))).toBe(true);
  });

  it("completes a run with the embedded tiny model and writes the report (its score is near zero)", {
    timeout: 180_000,
  }, async () => {
    const out = temporaryFolder("embedded");
    const context = realModels({});
    const summary = await evalHumanEval(context, out, [
      "--model",
      tinyModelPath,
      "--limit",
      "2",
      "--max-output-tokens",
      "32",
    ]);
    expect(summary).toMatchObject({ suite: "humaneval", tasks: 2, samples: { total: 2, errors: 0 }, complete: true });
    expect(summary.passAt1).toBe(0);
    expect(summary.tokens.output).toBeGreaterThan(0);
    expect(summary.costUsd).toBe("0");
    const results = readResults(out);
    expect(results.every((result) => result.status === "failed" && typeof result.answer === "string")).toBe(true);
    expect(readFileSync(path.join(out, "report.md"), "utf8")).toContain(`| humaneval | ${summary.model} |`);
  });
});
