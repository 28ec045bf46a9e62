import path from "node:path";
import { z } from "zod";
import type { CodeTask } from "../code/code-task.ts";
import { DatasetError } from "../eval-errors.ts";
import { readJsonLines } from "./read-json-lines.ts";

const humanEvalXRecord = z.object({
  task_id: z.string().min(1),
  prompt: z.string().min(1),
  canonical_solution: z.string(),
  test: z.string().min(1),
  declaration: z.string().min(1),
});

export const humanEvalXFile = (dataDirectory: string) =>
  path.join(dataDirectory, "humaneval-x-js", "humaneval_js.jsonl.gz");

// The declaration opens the function: `const hasCloseElements = (numbers, threshold) => {`.
const declaredNamePattern = /(?:const|let|var|function)\s+([A-Za-z_$][\w$]*)/g;

/** HumanEval-X JavaScript (164) with references. CodeGeeX's harness: 5 s, passed only when node prints nothing. */
export async function loadHumanEvalX(dataDirectory: string): Promise<CodeTask[]> {
  const file = humanEvalXFile(dataDirectory);
  const records = await readJsonLines(file, humanEvalXRecord);
  return records.map((record) => {
    const names = [...record.declaration.matchAll(declaredNamePattern)].map((match) => match[1]);
    const entryPoint = names.at(-1);
    if (!entryPoint) throw new DatasetError(file, `${file}: task ${record.task_id} declares no function.`);
    return {
      kind: "code",
      id: record.task_id,
      language: "javascript",
      prompt: record.prompt,
      entryPoint,
      test: record.test,
      passCriterion: "exit-zero-and-silent",
      referenceCompletion: record.canonical_solution,
      timeoutMs: 5_000,
      // CodeGeeX's environment installs js-md5 (task 162 requires it); we link the repository's copy.
      packages: ["js-md5"],
    };
  });
}
