import path from "node:path";
import { z } from "zod";
import type { CodeTask } from "../code/code-task.ts";
import { readJsonLines } from "./read-json-lines.ts";

const humanEvalRecord = z.object({
  task_id: z.string().min(1),
  prompt: z.string(),
  entry_point: z.string().min(1),
  canonical_solution: z.string(),
  test: z.string(),
});

export const humanEvalFile = (dataDirectory: string) => path.join(dataDirectory, "humaneval", "HumanEval.jsonl.gz");

/** OpenAI HumanEval (Python, 164 tasks). The reference harness allows 3 s per program; we add process start-up. */
export async function loadHumanEval(dataDirectory: string): Promise<CodeTask[]> {
  const records = await readJsonLines(humanEvalFile(dataDirectory), humanEvalRecord);
  return records.map((record) => ({
    kind: "code",
    id: record.task_id,
    language: "python",
    prompt: record.prompt,
    entryPoint: record.entry_point,
    test: record.test,
    passCriterion: "exit-zero",
    referenceCompletion: record.canonical_solution,
    timeoutMs: 10_000,
  }));
}
