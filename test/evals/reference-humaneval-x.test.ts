import { describe, expect, it } from "vitest";
import { runEval } from "../../src/evals/run/run-eval.ts";
import { dataDirectory } from "./support/paths.ts";

describe("--reference on humaneval-x-js: the dataset's own solutions through the whole harness", () => {
  it("passes 162/164: all but the known broken tasks 112 and 155", { timeout: 240_000 }, async () => {
    // 112 returns a comma expression instead of a tuple and 155 mishandles 0: both fail under CodeGeeX's own
    // harness too. 162 needs the npm package js-md5, which CodeGeeX's environment installs; we link the
    // repository's copy into the task folder, so it passes: hence 162, not 161.
    const run = await runEval({ suite: "humaneval-x-js", dataDirectory, reference: true, concurrency: 4 });
    const failed = run.results.filter((result) => result.status !== "passed").map((result) => result.taskId);
    expect(failed.sort()).toEqual(["JavaScript/112", "JavaScript/155"]);
    expect(run.summary).toMatchObject({ tasks: 164, samples: { passed: 162, failed: 2 } });
  });
});
