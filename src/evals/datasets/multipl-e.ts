import path from "node:path";
import { z } from "zod";
import type { CodeTask } from "../code/code-task.ts";
import { DatasetError } from "../eval-errors.ts";
import { readJsonLines } from "./read-json-lines.ts";

const multiplERecord = z.object({
  name: z.string().min(1),
  language: z.enum(["ts", "js"]),
  prompt: z.string().min(1),
  tests: z.string().min(1),
});

export const multiplEFile = (dataDirectory: string, language: "ts" | "js") =>
  path.join(dataDirectory, "multipl-e", `humaneval-${language}.jsonl`);

// MultiPL-E prompts end with the opened function, e.g. `function strlen(string: string): number {`.
const functionNamePattern = /function\s+([A-Za-z_$][\w$]*)\s*[(<][^\n]*\{\s*$/;

/** MultiPL-E HumanEval in TypeScript (159) or JavaScript (161); no reference solutions. Limit: 15 s, as MultiPL-E. */
export async function loadMultiplE(dataDirectory: string, language: "ts" | "js"): Promise<CodeTask[]> {
  const file = multiplEFile(dataDirectory, language);
  const records = await readJsonLines(file, multiplERecord);
  return records.map((record) => {
    const entryPoint = functionNamePattern.exec(record.prompt)?.[1];
    if (!entryPoint)
      throw new DatasetError(file, `${file}: task ${record.name} has no function at the end of its prompt.`);
    return {
      kind: "code",
      id: record.name,
      language: language === "ts" ? "typescript" : "javascript",
      prompt: record.prompt,
      entryPoint,
      test: record.tests,
      passCriterion: "exit-zero",
      timeoutMs: 15_000,
    };
  });
}
