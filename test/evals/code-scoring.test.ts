import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { CodeTask } from "../../src/evals/code/code-task.ts";
import { scoreCodeAnswer } from "../../src/evals/code/score-code-answer.ts";
import { type CodeHarness, scoreCodeTask } from "../../src/evals/code/score-code-task.ts";
import { TypeScriptChecker } from "../../src/evals/code/typescript-checker.ts";
import { loadHumanEval } from "../../src/evals/datasets/humaneval.ts";
import { loadHumanEvalX } from "../../src/evals/datasets/humaneval-x.ts";
import { loadMultiplE } from "../../src/evals/datasets/multipl-e.ts";
import { dataDirectory } from "./support/paths.ts";

const harness: CodeHarness = { typeChecker: new TypeScriptChecker(), memoryMb: 512, outputLimitBytes: 256 * 1024 };
const suites: Record<string, CodeTask[]> = {};
beforeAll(async () => {
  suites.python = await loadHumanEval(dataDirectory);
  suites.typescript = await loadMultiplE(dataDirectory, "ts");
  suites.javascript = await loadMultiplE(dataDirectory, "js");
  suites.humanevalX = await loadHumanEvalX(dataDirectory);
});
afterAll(() => harness.typeChecker.close());

function task(suite: string, id: string): CodeTask {
  const found = suites[suite]?.find((candidate) => candidate.id === id);
  if (!found) throw new Error(`no ${id} in ${suite}`);
  return found;
}

const fenced = (language: string, code: string) =>
  `Sure! Here it is:\n\n\`\`\`${language}\n${code}\n\`\`\`\n\nHope this helps.`;

describe("MultiPL-E TypeScript: compiled with tsc --target esnext, run with node", () => {
  const cases: Array<[string, string, boolean]> = [
    ["HumanEval_23_strlen", "  return string.length;\n}\n", true],
    ["HumanEval_53_add", "  return x + y;\n}\n", true],
    [
      "HumanEval_0_has_close_elements",
      "  return numbers.some((a, i) => numbers.some((b, j) => i !== j && Math.abs(a - b) < threshold));\n}\n",
      true,
    ],
    ["HumanEval_23_strlen", "  return string.length + 1;\n}\n", false],
    ["HumanEval_53_add", "  return x - y;\n}\n", false],
  ];
  it.each(cases)("%s with %j passes: %s", async (id, completion, expected) => {
    const verdict = await scoreCodeTask(task("typescript", id), completion, harness);
    expect(verdict.passed, verdict.error ?? "").toBe(expected);
  });

  it("fails a type error even when the JavaScript would pass", async () => {
    // Returns a string where number is declared; at run time "3" == 3 would not help deepEqual anyway, but
    // `as any` style escape hatches aside, tsc's verdict comes first.
    const verdict = await scoreCodeTask(
      task("typescript", "HumanEval_53_add"),
      "  const sum: string = x + y;\n  return sum as any;\n}\n",
      harness,
    );
    expect(verdict.passed).toBe(false);
    expect(verdict.error).toMatch(/does not compile: .*error TS2322/s);
  });

  it("runs a chat answer: the whole function, exported, with an example call", async () => {
    const answer = fenced(
      "typescript",
      'export function strlen(string: string): number {\n  return [...string].length;\n}\n\nconsole.log(strlen("abc"));',
    );
    const scored = await scoreCodeAnswer(
      task("typescript", "HumanEval_23_strlen"),
      { text: answer, toolCalls: [] },
      harness,
    );
    expect(scored.passed, scored.error ?? "").toBe(true);
  });
});

describe("MultiPL-E JavaScript", () => {
  it("passes right answers and fails wrong ones", async () => {
    const right = await scoreCodeTask(
      task("javascript", "HumanEval_23_strlen"),
      "  return string.length;\n}\n",
      harness,
    );
    const wrong = await scoreCodeTask(task("javascript", "HumanEval_23_strlen"), "  return 0;\n}\n", harness);
    const complete = await scoreCodeAnswer(
      task("javascript", "HumanEval_53_add"),
      { text: fenced("javascript", "const add = (x, y) => x + y;\nmodule.exports = { add };"), toolCalls: [] },
      harness,
    );
    expect([right.passed, wrong.passed, complete.passed]).toEqual([true, false, true]);
  });

  it("kills an infinite loop at the limit", async () => {
    const verdict = await scoreCodeTask(task("javascript", "HumanEval_23_strlen"), "  for (;;) {}\n}\n", {
      ...harness,
      timeoutMs: 1_500,
    });
    expect(verdict).toMatchObject({ passed: false, error: "timed out after 1.5 s" });
  });
});

describe("HumanEval (Python)", () => {
  it("scores deliberately wrong completions 0", async () => {
    const wrong = [
      "    return None\n",
      "    raise NotImplementedError\n",
      "    return 42\n",
      "    pass\n",
      "  return (\n",
    ];
    const tasks = suites.python?.slice(0, wrong.length) ?? [];
    const verdicts = await Promise.all(tasks.map((each, index) => scoreCodeTask(each, wrong[index] ?? "", harness)));
    expect(verdicts.filter((verdict) => verdict.passed)).toHaveLength(0);
  });

  it("kills an infinite loop at the limit", async () => {
    const verdict = await scoreCodeTask(task("python", "HumanEval/0"), "    while True:\n        pass\n", {
      ...harness,
      timeoutMs: 1_500,
    });
    expect(verdict).toMatchObject({ passed: false, error: "timed out after 1.5 s" });
  });

  it("runs a chat answer without its __main__ block and example prints", async () => {
    const each = task("python", "HumanEval/2");
    const code = `def truncate_number(number: float) -> float:\n    return number % 1.0\n\nprint(truncate_number(3.5))\n\nif __name__ == "__main__":\n    import sys\n    sys.exit(1)\n`;
    const scored = await scoreCodeAnswer(each, { text: fenced("python", code), toolCalls: [] }, harness);
    expect(scored.passed, scored.error ?? "").toBe(true);
  });

  it("does not count an early exit with status 0 as a pass", async () => {
    const verdict = await scoreCodeTask(task("python", "HumanEval/2"), "    import os\n    os._exit(0)\n", harness);
    expect(verdict).toMatchObject({ passed: false, error: "the program exited before its tests finished" });
  });

  it("counts an answer with no code as a failure", async () => {
    const scored = await scoreCodeAnswer(task("python", "HumanEval/2"), { text: "", toolCalls: [] }, harness);
    expect(scored).toMatchObject({ passed: false, errorType: "no_code", completion: null });
  });
});

describe("HumanEval-X JavaScript", () => {
  it("fails a program that prints, as its harness counts console.assert output as failure", async () => {
    const each = task("humanevalX", "JavaScript/2");
    const printing = await scoreCodeTask(each, "  console.log(number);\n  return number % 1.0;\n}\n", harness);
    expect(printing.passed).toBe(false);
    expect(printing.error).toMatch(/printed output/);
    const right = await scoreCodeTask(each, "  return number % 1.0;\n}\n", harness);
    expect(right.passed, right.error ?? "").toBe(true);
  });
});
