import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { gzipSync } from "node:zlib";
import { CommanderError } from "commander";
import { describe, expect, it } from "vitest";
import { createEvalCommand } from "../../src/cli/commands/eval.ts";
import { ScriptedModel } from "../../src/testing/index.ts";
import { evalCliContext } from "./support/cli-context.ts";
import { dataDirectory, temporaryFolder } from "./support/paths.ts";
import { resolvedScriptedModel } from "./support/resolved-model.ts";

async function runCommand(args: string[], context = evalCliContext()) {
  const command = createEvalCommand(context.context).exitOverride();
  let error: unknown;
  try {
    await command.parseAsync(args, { from: "user" });
  } catch (thrown) {
    error = thrown;
  }
  return { error, stdout: context.stdout.text(), stderr: context.stderr.text() };
}

describe("tansuo eval", () => {
  it("scores the references with --json and writes the run files", async () => {
    const out = temporaryFolder("command");
    const { error, stdout } = await runCommand([
      "bfcl",
      "--reference",
      "--limit",
      "2",
      "--data",
      dataDirectory,
      "--out",
      out,
      "--json",
    ]);
    expect(error).toBeUndefined();
    const summary = JSON.parse(stdout);
    expect(summary).toMatchObject({ suite: "bfcl", model: "reference", tasks: 12, passAt1: 1, complete: true });
    expect(readFileSync(path.join(out, "results.jsonl"), "utf8").trim().split("\n")).toHaveLength(12);
    expect(readFileSync(path.join(out, "report.md"), "utf8")).toContain("| bfcl | reference |");
  });

  it("prints a readable summary without --json", async () => {
    const { stdout } = await runCommand([
      "bfcl",
      "--reference",
      "--category",
      "parallel,irrelevance",
      "--limit",
      "1",
      "--data",
      dataDirectory,
    ]);
    expect(stdout).toContain("bfcl · reference: pass@1 100.0% (2/2 tasks)");
    expect(stdout).toMatch(/parallel\s+100\.0%/);
  });

  const usageError = async (args: string[], message: RegExp) => {
    const { error, stderr } = await runCommand(args);
    expect(error).toBeInstanceOf(CommanderError);
    expect((error as CommanderError).exitCode).not.toBe(0);
    expect(stderr).toMatch(message);
  };

  it("rejects an unknown suite, a missing model and bad numbers", async () => {
    await usageError(["mbpp", "--reference"], /Unknown suite "mbpp"/);
    await usageError(["humaneval"], /Name a model with --model/);
    await usageError(["humaneval", "--reference", "--limit", "0"], /--limit <n>.*whole number/);
    await usageError(["humaneval-ts", "--reference", "--data", dataDirectory], /carries no reference solutions/);
    await usageError(["humaneval", "--reference", "--category", "simple_python"], /bfcl suite only/);
  });

  it("names the dataset file that is missing or malformed", async () => {
    await usageError(
      ["humaneval", "--reference", "--data", "/nonexistent-data"],
      /\/nonexistent-data\/humaneval\/HumanEval\.jsonl\.gz is missing/,
    );
    const broken = temporaryFolder("broken-data");
    mkdirSync(path.join(broken, "humaneval"));
    writeFileSync(
      path.join(broken, "humaneval", "HumanEval.jsonl.gz"),
      gzipSync('{"task_id": "HumanEval/0"}\n{not json\n'),
    );
    await usageError(
      ["humaneval", "--reference", "--data", broken],
      /HumanEval\.jsonl\.gz:1 does not have the expected fields: prompt/,
    );
  });

  it("reports a model that cannot be resolved as a usage error", async () => {
    const context = evalCliContext(async () => {
      throw new Error('Unknown model "nope".');
    });
    const { error, stderr } = await runCommand(["humaneval", "--model", "nope", "--data", dataDirectory], context);
    expect((error as CommanderError).exitCode).toBe(2);
    expect(stderr).toContain('Unknown model "nope".');
  });

  it("stops when the model cannot answer at all and says how to continue", async () => {
    const out = temporaryFolder("command-fatal");
    const unauthorized = Object.assign(new Error("deepseek answered 401 (authentication failed: check the API key)"), {
      statusCode: 401,
    });
    const model = new ScriptedModel([{ error: unauthorized }]);
    const context = evalCliContext(async () => resolvedScriptedModel(model));
    const { error } = await runCommand(
      ["humaneval", "--model", "scripted-model", "--concurrency", "1", "--data", dataDirectory, "--out", out],
      context,
    );
    model.assertFinished();
    // The run stops at the first refusal: no call beyond the one scripted.
    expect(model.calls).toHaveLength(1);
    expect((error as Error).message).toBe(
      `scripted-model cannot answer: deepseek answered 401 (authentication failed: check the API key). ` +
        `Finished samples are kept in ${out}; rerun with the same --out to continue.`,
    );
  });
});
