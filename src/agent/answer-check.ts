import type { StepRecord, ToolCallRecord } from "../store/records.ts";
import { stepOutcome } from "./step-outcome.ts";

/** A rule every final answer must meet (a structured output schema); a broken answer gets one repair turn. */
export interface AnswerCheck {
  /** What is wrong with the final answer, in words the model can act on; undefined when it is acceptable. */
  problems(answer: string): string | undefined;
  /** Ask the provider for JSON (its json mode) on steps that offer no tools; the schema is in the instructions. */
  json?: boolean;
}

export const repairTurns = 1;

/** How a run's error begins when its final answer stayed broken after the repair turn. */
export const rejectedAnswerError = "the final answer did not match the output schema";

export type AnswerVerdict =
  | { kind: "accept" }
  | { kind: "repair"; message: string }
  | { kind: "reject"; error: string };

const repairMessage = (problems: string) =>
  `Your final answer does not match the required output: ${problems}. ` +
  "Answer again with only the corrected JSON, no other text.";

/** Accept the answer, ask for a repair (the first `repairTurns` times), or give up with an error that says why. */
export function judgeAnswer(check: AnswerCheck | undefined, answer: string, repairsSoFar: number): AnswerVerdict {
  const problems = check?.problems(answer);
  if (problems === undefined) return { kind: "accept" };
  if (repairsSoFar < repairTurns) return { kind: "repair", message: repairMessage(problems) };
  return {
    kind: "reject",
    error: `${rejectedAnswerError} after ${repairTurns} repair turn(s): ${problems}`,
  };
}

/**
 * The repair message a kept step received, if it was a final answer the check rejected. The rule is pure, so
 * a resumed run rebuilds exactly the conversation the live run had.
 */
export function repairSentAfter(
  check: AnswerCheck,
  step: StepRecord,
  calls: readonly ToolCallRecord[],
  toolsRequired: boolean,
): string | undefined {
  const outcome = stepOutcome(step.assistant, step.finishReason, calls, toolsRequired);
  if (outcome.kind !== "succeeded") return undefined;
  const problems = check.problems(outcome.output);
  return problems === undefined ? undefined : repairMessage(problems);
}
