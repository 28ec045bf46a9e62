import type { ScoredAnswer, SuiteAnswer } from "../suites/suite-definition.ts";
import type { CodeTask } from "./code-task.ts";
import { extractCode } from "./extract-code.ts";
import { type CodeHarness, scoreCodeTask } from "./score-code-task.ts";

/** Runs one completion against the task's tests. */
export async function scoreCodeCompletion(
  task: CodeTask,
  completion: string,
  harness: CodeHarness,
): Promise<ScoredAnswer> {
  const verdict = await scoreCodeTask(task, completion, harness);
  return { passed: verdict.passed, error: verdict.error, errorType: verdict.passed ? null : "test_failed", completion };
}

/** Scores a chat answer to a code task: the code is extracted and run; an answer with no code is a failure. */
export async function scoreCodeAnswer(
  task: CodeTask,
  answer: SuiteAnswer,
  harness: CodeHarness,
): Promise<ScoredAnswer> {
  const extraction = extractCode(answer.text, task.language, task.entryPoint);
  if (extraction.code === undefined) {
    return { passed: false, error: extraction.reason, errorType: "no_code", completion: null };
  }
  return scoreCodeCompletion(task, extraction.code, harness);
}
