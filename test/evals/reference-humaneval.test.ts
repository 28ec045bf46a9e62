import { describe, expect, it } from "vitest";
import { runEval } from "../../src/evals/run/run-eval.ts";
import { dataDirectory } from "./support/paths.ts";

describe("--reference on humaneval: the dataset's own solutions through the whole harness", () => {
  it("passes 164/164", { timeout: 240_000 }, async () => {
    const run = await runEval({ suite: "humaneval", dataDirectory, reference: true, concurrency: 4 });
    expect(run.results.filter((result) => result.status !== "passed").map((result) => result.taskId)).toEqual([]);
    expect(run.summary).toMatchObject({ tasks: 164, passAt1: 1, samples: { passed: 164 }, complete: true });
  });
});
