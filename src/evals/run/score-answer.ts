import { referenceToolCalls } from "../bfcl/reference-calls.ts";
import { scoreBfclTask, type ToolCallOutput } from "../bfcl/score-bfcl-task.ts";
import { extractCode } from "../code/extract-code.ts";
import { type CodeHarness, scoreCodeTask } from "../code/score-code-task.ts";
import { EvalUsageError } from "../eval-errors.ts";
import type { EvalTask } from "./eval-task.ts";

export interface ScoredAnswer {
  passed: boolean;
  error: string | null;
  errorType: string | null;
  /** The code that ran, or the tool calls as JSON; null when the answer held no code. */
  completion: string | null;
  toolCalls?: ToolCallOutput[];
}

/** Scores a model's answer: code is extracted and run; tool calls get BFCL's AST check. No code is a failure. */
export async function scoreAnswer(
  task: EvalTask,
  answer: { text: string; toolCalls: ToolCallOutput[] },
  harness: CodeHarness,
): Promise<ScoredAnswer> {
  if (task.kind === "bfcl") {
    const verdict = scoreBfclTask(task, answer.toolCalls);
    return { ...verdict, completion: JSON.stringify(answer.toolCalls), toolCalls: answer.toolCalls };
  }
  const extraction = extractCode(answer.text, task.language, task.entryPoint);
  if (extraction.code === undefined) {
    return { passed: false, error: extraction.reason, errorType: "no_code", completion: null };
  }
  return scoreCompletion(task, extraction.code, harness);
}

async function scoreCompletion(task: EvalTask & { kind: "code" }, completion: string, harness: CodeHarness) {
  const verdict = await scoreCodeTask(task, completion, harness);
  return { passed: verdict.passed, error: verdict.error, errorType: verdict.passed ? null : "test_failed", completion };
}

/** Scores the dataset's own answer for a task, which checks the harness rather than a model. */
export async function scoreReference(task: EvalTask, harness: CodeHarness): Promise<ScoredAnswer> {
  if (task.kind === "bfcl") return scoreAnswer(task, { text: "", toolCalls: referenceToolCalls(task) }, harness);
  if (task.referenceCompletion === undefined) {
    throw new EvalUsageError(`Task ${task.id} carries no reference solution, so --reference cannot score it.`);
  }
  return scoreCompletion(task, task.referenceCompletion, harness);
}
