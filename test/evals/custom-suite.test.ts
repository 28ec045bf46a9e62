import { readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import type { LanguageModelV3CallOptions } from "@ai-sdk/provider";
import { CommanderError } from "commander";
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { createEvalCommand } from "../../src/cli/commands/eval.ts";
import { readJsonLines } from "../../src/evals/datasets/read-json-lines.ts";
import { EvalUsageError } from "../../src/evals/eval-errors.ts";
import { findSuite, registerSuite, runEval, type SuiteDefinition } from "../../src/evals/index.ts";
import type { SampleResult } from "../../src/evals/run/sample-result.ts";
import { ScriptedModel } from "../../src/testing/index.ts";
import { evalCliContext } from "./support/cli-context.ts";
import { temporaryFolder } from "./support/paths.ts";
import { resolvedScriptedModel } from "./support/resolved-model.ts";

interface SumTask {
  id: string;
  category: string;
  left: number;
  right: number;
}

const sumRecord = z.object({ id: z.string(), category: z.string(), left: z.number(), right: z.number() });

/** A suite a library user might write: sums read from the data folder, judged by the number in the answer. */
const sumsSuite: SuiteDefinition<SumTask> = {
  id: "sums",
  description: "Two-number sums, to show a suite is one value",
  categories: ["small", "large"],
  runsCode: false,
  async load(dataDirectory, { categories }) {
    const tasks = await readJsonLines(path.join(dataDirectory, "sums.jsonl"), sumRecord);
    return tasks.filter((task) => !categories || categories.includes(task.category));
  },
  prompt: (task) => ({
    prompt: [
      {
        role: "user",
        content: [{ type: "text", text: `What is ${task.left} + ${task.right}? Reply with the number only.` }],
      },
    ],
  }),
  score: async (task, answer) => {
    const passed = answer.text.trim() === String(task.left + task.right);
    return {
      passed,
      error: passed ? null : `expected ${task.left + task.right}, got ${answer.text.trim()}`,
      errorType: passed ? null : "wrong_sum",
      completion: answer.text.trim(),
    };
  },
  scoreReference: async () => ({ passed: true, error: null, errorType: null, completion: null }),
};

function sumsData(): string {
  const folder = temporaryFolder("sums-data");
  const tasks = [
    { id: "s1", category: "small", left: 2, right: 3 },
    { id: "s2", category: "small", left: 4, right: 4 },
    { id: "l1", category: "large", left: 1000, right: 2000 },
    { id: "l2", category: "large", left: 5000, right: 5000 },
  ];
  writeFileSync(path.join(folder, "sums.jsonl"), tasks.map((task) => JSON.stringify(task)).join("\n"));
  return folder;
}

const promptText = (options: LanguageModelV3CallOptions) => JSON.stringify(options.prompt);
const answer = (question: string, text: string) => ({
  expect: (options: LanguageModelV3CallOptions) => expect(promptText(options)).toContain(question),
  text,
  usage: { inputTokens: 100, outputTokens: 50 },
});

const readLines = (file: string) =>
  readFileSync(file, "utf8")
    .trim()
    .split("\n")
    .map((line) => JSON.parse(line) as SampleResult);

describe("a suite defined outside Tansuo", () => {
  it("runs end to end through the runner: asks, scores, records, summarises by category and resumes", async () => {
    const data = sumsData();
    const out = temporaryFolder("sums-out");
    const model = new ScriptedModel([answer("2 + 3", "5"), answer("1000 + 2000", "3001")]);
    const run = await runEval({
      suite: sumsSuite,
      dataDirectory: data,
      model: resolvedScriptedModel(model),
      limit: 1,
      concurrency: 1,
      outDirectory: out,
    });
    model.assertFinished();
    expect(model.calls).toHaveLength(2);
    expect(run.results.map((result) => [result.taskId, result.category, result.status])).toEqual([
      ["s1", "small", "passed"],
      ["l1", "large", "failed"],
    ]);
    expect(run.results[1]).toMatchObject({ errorType: "wrong_sum", error: "expected 3000, got 3001" });
    // Each call: 100 input tokens at $0.27/M and 50 output at $1.10/M = $0.000082.
    expect(run.summary).toMatchObject({
      suite: "sums",
      model: "scripted-model",
      tasks: 2,
      passAt1: 0.5,
      categories: { small: { tasks: 1, accuracy: 1 }, large: { tasks: 1, accuracy: 0 } },
      costUsd: "0.000164",
      complete: true,
    });
    expect(run.summary.sandbox).toBeUndefined();
    expect(readLines(path.join(out, "results.jsonl")).map((line) => line.suite)).toEqual(["sums", "sums"]);
    expect(readFileSync(path.join(out, "report.md"), "utf8")).toContain("| sums | scripted-model | . | 2 | 50.0% |");

    const rest = new ScriptedModel([answer("4 + 4", "8"), answer("5000 + 5000", "10000")]);
    const resumed = await runEval({
      suite: sumsSuite,
      dataDirectory: data,
      model: resolvedScriptedModel(rest),
      concurrency: 1,
      outDirectory: out,
    });
    rest.assertFinished();
    expect(resumed).toMatchObject({ skipped: 2, summary: { tasks: 4, passAt1: 0.75 } });
  });

  it("checks --category against the suite's own categories", async () => {
    const model = new ScriptedModel([answer("2 + 3", "5"), answer("4 + 4", "9")]);
    const only = await runEval({
      suite: sumsSuite,
      dataDirectory: sumsData(),
      model: resolvedScriptedModel(model),
      categories: ["small"],
      limit: 2,
      concurrency: 1,
    });
    model.assertFinished();
    expect(only.results.map((result) => [result.taskId, result.status])).toEqual([
      ["s1", "passed"],
      ["s2", "failed"],
    ]);
    expect(only.summary.categories).toEqual({ small: { tasks: 2, accuracy: 0.5 } });
    await expect(
      runEval({ suite: sumsSuite, dataDirectory: sumsData(), reference: true, categories: ["medium"] }),
    ).rejects.toThrow('Unknown sums category "medium". Choose from: small, large.');
  });
});

describe("registering a suite", () => {
  it("makes `tansuo eval <id>` offer, validate and run it, and refuses a second suite of the same id", async () => {
    const before = await runCommand(["nope", "--reference"]);
    expect(before.stderr).toContain('Unknown suite "nope". Choose one of: humaneval, humaneval-ts, humaneval-js');
    expect(before.stderr).not.toContain("sums");

    registerSuite(sumsSuite);
    expect(findSuite("sums")).toBe(sumsSuite);
    expect(() => registerSuite({ ...sumsSuite })).toThrow(EvalUsageError);
    expect(() => registerSuite({ ...sumsSuite, id: "Sums Two" })).toThrow(/not usable on the command line/);

    const help = await runCommand(["--help"]);
    expect(help.stdout).toMatch(/\n {2}sums {12}Two-number sums, to show a suite is one value\n/);
    const unknown = await runCommand(["nope", "--reference"]);
    expect(unknown.stderr).toContain('Unknown suite "nope". Choose one of: humaneval, humaneval-ts');
    expect(unknown.stderr).toContain(", bfcl, sums.");
    const wrongCategory = await runCommand(["humaneval", "--reference", "--category", "small"]);
    expect(wrongCategory.stderr).toContain(
      "--category applies to the bfcl, sums suites only; humaneval has no categories.",
    );

    const model = new ScriptedModel([answer("2 + 3", "5")]);
    const context = evalCliContext(async () => resolvedScriptedModel(model));
    const ran = await runCommand(
      ["sums", "--model", "scripted-model", "--category", "small", "--limit", "1", "--data", sumsData(), "--json"],
      context,
    );
    model.assertFinished();
    expect(ran.error).toBeUndefined();
    expect(JSON.parse(ran.stdout)).toMatchObject({ suite: "sums", tasks: 1, passAt1: 1, costUsd: "0.000082" });
  });
});

async function runCommand(args: string[], context = evalCliContext()) {
  const command = createEvalCommand(context.context).exitOverride();
  let error: unknown;
  try {
    await command.parseAsync(args, { from: "user" });
  } catch (thrown) {
    error = thrown;
  }
  if (error !== undefined && !(error instanceof CommanderError)) throw error;
  return { error, stdout: context.stdout.text(), stderr: context.stderr.text() };
}
