import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import type { LanguageModelV3CallOptions } from "@ai-sdk/provider";
import { beforeAll, describe, expect, it } from "vitest";
import type { CodeTask } from "../../src/evals/code/code-task.ts";
import { loadHumanEval } from "../../src/evals/datasets/humaneval.ts";
import { EvalUsageError, ModelUnavailableError } from "../../src/evals/eval-errors.ts";
import { type EvalOptions, runEval } from "../../src/evals/run/run-eval.ts";
import type { SampleResult } from "../../src/evals/run/sample-result.ts";
import { ScriptedModel, type ScriptedStep } from "../../src/testing/index.ts";
import { dataDirectory, temporaryFolder } from "./support/paths.ts";
import { resolvedScriptedModel } from "./support/resolved-model.ts";

let humanEval: CodeTask[];
beforeAll(async () => {
  humanEval = await loadHumanEval(dataDirectory);
});

const nth = (index: number) => humanEval[index] as CodeTask;
/** A chat answer with the reference solution written out as a whole function. */
const rightAnswer = (index: number) => `\`\`\`python\n${nth(index).prompt}${nth(index).referenceCompletion}\`\`\``;
const wrongAnswer = (index: number) => `\`\`\`python\ndef ${nth(index).entryPoint}(*args):\n    return None\n\`\`\``;

const promptText = (options: LanguageModelV3CallOptions) =>
  options.prompt
    .map((message) =>
      typeof message.content === "string"
        ? message.content
        : message.content.map((part) => ("text" in part ? part.text : "")).join(""),
    )
    .join("\n");
/** A step's request check: the prompt's text contains `fragment`. */
const promptContains = (fragment: string) => (options: LanguageModelV3CallOptions) => {
  expect(promptText(options), "the prompt of this call").toContain(fragment);
};

const callUsage = { inputTokens: 100, outputTokens: 50 };
// 100 input tokens at 0.27 and 50 output at 1.10 USD per 1M tokens: 27 + 55 = 82 per million; three calls 246.
const costOfThreeCalls = "0.000246";

/** The answer to HumanEval task `index`, checking that the prompt asks for that task. */
const step = (index: number, text: string, extra: Partial<ScriptedStep> = {}): ScriptedStep => ({
  expect: promptContains(`def ${nth(index).entryPoint}(`),
  text,
  usage: callUsage,
  ...extra,
});

/**
 * A ScriptedModel whose `assertDone` is `assertFinished` and more. runEval records a failed model call as a sample
 * error and goes on, so a call past the end of the script or a failed prompt check would otherwise show only as an
 * "error" result: `assertDone` counts the calls and runs each step's check again on the call it answered.
 */
function scriptedModel(steps: ScriptedStep[]) {
  const model = new ScriptedModel(steps);
  return Object.assign(model, {
    assertDone() {
      model.assertFinished();
      expect(model.calls, "model calls, against the scripted steps").toHaveLength(steps.length);
      for (const [index, scripted] of steps.entries()) {
        scripted.expect?.(model.calls[index] as LanguageModelV3CallOptions);
      }
    },
  });
}

/**
 * Runs a suite (HumanEval unless `options.suite` says otherwise) against a scripted model under the catalog id
 * `modelId`, one call at a time so that calls come in the script's order.
 */
const runScripted = (model: ScriptedModel, { modelId, ...options }: Partial<EvalOptions> & { modelId?: string } = {}) =>
  runEval({
    suite: "humaneval",
    dataDirectory,
    model: resolvedScriptedModel(model, modelId === undefined ? {} : { id: modelId }),
    concurrency: 1,
    ...options,
  });

const readLines = (file: string) =>
  readFileSync(file, "utf8")
    .trim()
    .split("\n")
    .map((line) => JSON.parse(line) as SampleResult);

describe("a model run", () => {
  it("scores each answer, records tokens, cost and latency, and writes results, summary and report", async () => {
    const out = temporaryFolder("run");
    const model = scriptedModel([
      step(0, rightAnswer(0)),
      step(1, wrongAnswer(1)),
      step(2, "I cannot help with that."),
    ]);
    const run = await runScripted(model, { limit: 3, outDirectory: out });
    model.assertDone();
    expect(run.results.map((result) => result.status)).toEqual(["passed", "failed", "failed"]);
    expect(run.results[2]?.answer).toBe("I cannot help with that.");
    expect(model.calls[0]?.temperature).toBe(0);
    expect(run.summary).toMatchObject({
      suite: "humaneval",
      model: "scripted-model",
      tasks: 3,
      passAt1: 1 / 3,
      solvedTasks: 1,
      tokens: { input: 300, output: 150, cached: 0 },
      costUsd: costOfThreeCalls,
      costPerSolvedUsd: costOfThreeCalls,
      complete: true,
    });
    expect(run.summary.latencyMs?.p95).toBeGreaterThanOrEqual(0);

    const lines = readLines(path.join(out, "results.jsonl"));
    expect(lines).toHaveLength(3);
    expect(lines[1]).toMatchObject({ taskId: "HumanEval/1", sample: 0, status: "failed", errorType: "test_failed" });
    expect(lines[1]?.completion).toContain("return None");
    expect(lines[1]?.error).toMatch(/exit code 1/);
    expect(lines[2]).toMatchObject({ status: "failed", errorType: "no_code" });
    expect(JSON.parse(readFileSync(path.join(out, "summary.json"), "utf8"))).toEqual(run.summary);
    const report = readFileSync(path.join(out, "report.md"), "utf8");
    expect(report).toContain("| humaneval | scripted-model | . | 3 | 33.3% |");
  });

  it("resumes: a rerun with the same --out asks nothing for finished samples and continues the rest", async () => {
    const out = temporaryFolder("resume");
    const first = scriptedModel([step(0, rightAnswer(0)), step(1, rightAnswer(1))]);
    await runScripted(first, { limit: 2, outDirectory: out });
    first.assertDone();

    const idle = scriptedModel([]);
    const again = await runScripted(idle, { limit: 2, outDirectory: out });
    idle.assertDone();
    expect(again).toMatchObject({ skipped: 2, summary: { tasks: 2, passAt1: 1 } });

    const more = scriptedModel([step(2, rightAnswer(2))]);
    const longer = await runScripted(more, { limit: 3, outDirectory: out });
    more.assertDone();
    expect(longer).toMatchObject({ skipped: 2, summary: { tasks: 3, passAt1: 1 } });
    expect(readLines(path.join(out, "results.jsonl"))).toHaveLength(3);
  });

  it("records a failed model call as an error, keeps going, and retries it on the next run", async () => {
    const out = temporaryFolder("errors");
    const failing = scriptedModel([
      step(0, "", {
        error: Object.assign(new Error("deepseek answered 503 (server overloaded)"), { statusCode: 503 }),
      }),
      step(1, rightAnswer(1)),
    ]);
    const run = await runScripted(failing, { limit: 2, outDirectory: out });
    failing.assertDone();
    expect(run.results.map((result) => result.status)).toEqual(["error", "passed"]);
    expect(run.summary).toMatchObject({ complete: false, passAt1: 0.5, samples: { errors: 1 } });
    expect(readFileSync(path.join(out, "report.md"), "utf8")).toContain("1 samples ended in model errors");

    const retry = scriptedModel([step(0, rightAnswer(0))]);
    const fixed = await runScripted(retry, { limit: 2, outDirectory: out });
    retry.assertDone();
    expect(fixed.summary).toMatchObject({ complete: true, passAt1: 1, samples: { errors: 0, total: 2 } });
  });

  it("stops at once when the model cannot answer at all (bad key), keeping what was done", async () => {
    const out = temporaryFolder("fatal");
    const unauthorized = Object.assign(new Error("deepseek answered 401 (authentication failed)"), { statusCode: 401 });
    const model = scriptedModel([step(0, "", { error: unauthorized })]);
    await expect(runScripted(model, { limit: 5, outDirectory: out })).rejects.toBeInstanceOf(ModelUnavailableError);
    model.assertDone();
    expect(existsSync(path.join(out, "summary.json"))).toBe(true);
  });

  it("stops when aborted, keeps the finished samples, and a rerun finishes the rest", async () => {
    const out = temporaryFolder("abort");
    const stop = new AbortController();
    const model = scriptedModel([step(0, rightAnswer(0))]);
    const run = await runScripted(model, {
      limit: 3,
      outDirectory: out,
      abortSignal: stop.signal,
      onProgress: () => stop.abort(),
    });
    model.assertDone();
    expect(run).toMatchObject({ stopped: true, summary: { tasks: 1, complete: false } });
    const rest = scriptedModel([step(1, rightAnswer(1)), step(2, rightAnswer(2))]);
    const finished = await runScripted(rest, { limit: 3, outDirectory: out });
    rest.assertDone();
    expect(finished).toMatchObject({ stopped: false, skipped: 1, summary: { tasks: 3, passAt1: 1, complete: true } });
  });

  it("refuses to continue a run made at another temperature", async () => {
    const out = temporaryFolder("temperature");
    const model = scriptedModel([step(0, rightAnswer(0))]);
    await runScripted(model, { limit: 1, outDirectory: out });
    model.assertDone();
    const other = scriptedModel([]);
    await expect(runScripted(other, { limit: 1, temperature: 0.7, outDirectory: out })).rejects.toThrow(EvalUsageError);
    other.assertDone();
  });

  it("samples several times per task for pass@k, at temperature 0.8 by default", async () => {
    const model = scriptedModel([
      step(0, rightAnswer(0)),
      step(0, wrongAnswer(0)),
      step(0, rightAnswer(0)),
      step(1, wrongAnswer(1)),
      step(1, wrongAnswer(1)),
      step(1, wrongAnswer(1)),
    ]);
    const run = await runScripted(model, { limit: 2, samples: 3 });
    model.assertDone();
    expect(model.calls.every((call) => call.temperature === 0.8)).toBe(true);
    // Task 0: n=3, c=2 gives pass@1 2/3 and pass@3 1; task 1: c=0 gives 0 for both.
    expect(run.summary.passAt1).toBeCloseTo(1 / 3, 12);
    expect(run.summary.passAtK["pass@3"]).toBeCloseTo(0.5, 12);
    expect(run.summary.samples.perTask).toEqual({ min: 3, max: 3 });
  });

  it("gives BFCL's functions as tools and checks the calls", async () => {
    const model = scriptedModel([
      {
        expect: promptContains("triangle"),
        toolCalls: [{ name: "calculate_triangle_area", input: '{"base": 10, "height": 5}' }],
      },
      {
        expect: promptContains("Spotify"),
        toolCalls: [{ name: "spotify_play", input: '{"artist": "Maroon 5", "duration": 15}' }],
      },
      { expect: promptContains("triangle"), text: "I have no function for that." },
    ]);
    const run = await runScripted(model, {
      suite: "bfcl",
      categories: ["simple_python", "parallel", "irrelevance"],
      limit: 1,
    });
    model.assertDone();
    const tools = model.calls[0]?.tools ?? [];
    expect(tools.map((tool) => tool.name)).toEqual(["calculate_triangle_area"]);
    expect(model.calls[0]?.toolChoice).toEqual({ type: "auto" });
    expect(run.results.map((result) => [result.category, result.status])).toEqual([
      ["simple_python", "passed"],
      ["parallel", "failed"],
      ["irrelevance", "passed"],
    ]);
    expect(run.summary.categories).toEqual({
      simple_python: { tasks: 1, accuracy: 1 },
      parallel: { tasks: 1, accuracy: 0 },
      irrelevance: { tasks: 1, accuracy: 1 },
    });
  });

  it("charts a single run, and one chart per suite in the folder tree", async () => {
    const out = temporaryFolder("chart");
    const cheap = scriptedModel([step(0, wrongAnswer(0))]);
    const first = await runScripted(cheap, { modelId: "cheap-model", limit: 1, outDirectory: out });
    cheap.assertDone();
    expect(first.files?.charts).toEqual([path.join(out, "pass-rate-vs-cost-humaneval.svg")]);
    expect(readFileSync(first.files?.charts[0] ?? "", "utf8")).toContain(">cheap-model</text>");

    const bfcl = scriptedModel([{ expect: promptContains("triangle"), text: "No function fits." }]);
    await runScripted(bfcl, {
      suite: "bfcl",
      categories: ["simple_python"],
      limit: 1,
      modelId: "cheap-model",
      outDirectory: out,
    });
    bfcl.assertDone();
    const report = readFileSync(path.join(out, "report.md"), "utf8");
    expect(report).toContain("![humaneval: pass rate against cost per task](pass-rate-vs-cost-humaneval.svg)");
    expect(report).toContain("![bfcl: pass rate against cost per task](pass-rate-vs-cost-bfcl.svg)");
    const bfclChart = readFileSync(path.join(out, "pass-rate-vs-cost-bfcl.svg"), "utf8");
    expect(bfclChart).toContain("bfcl: pass rate against cost");
    expect(bfclChart.match(/<circle /g)).toHaveLength(1);
  });

  it("refreshes the parent folder's report and chart when a run in a subfolder finishes", async () => {
    const out = temporaryFolder("parent");
    const cheap = scriptedModel([step(0, wrongAnswer(0))]);
    await runScripted(cheap, { modelId: "cheap-model", limit: 1, outDirectory: out });
    cheap.assertDone();
    const dear = scriptedModel([step(0, rightAnswer(0), { usage: { inputTokens: 100, outputTokens: 5000 } })]);
    const second = await runScripted(dear, { modelId: "dear-model", limit: 1, outDirectory: path.join(out, "dear") });
    dear.assertDone();
    expect(second.files?.charts).toEqual([path.join(out, "dear", "pass-rate-vs-cost-humaneval.svg")]);
    // Nothing ran in `out` again, yet its report and chart now show the subfolder's run too.
    const report = readFileSync(path.join(out, "report.md"), "utf8");
    expect(report).toContain("| humaneval | dear-model | dear | 1 | 100.0% |");
    expect(report).toContain("| humaneval | cheap-model | . | 1 | 0.0% |");
    const chart = readFileSync(path.join(out, "pass-rate-vs-cost-humaneval.svg"), "utf8");
    expect(chart).toContain(">cheap-model</text>");
    expect(chart).toContain(">dear-model</text>");
  });
});
