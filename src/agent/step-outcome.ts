import type { AssistantMessage, ToolCallRecord } from "../store/records.ts";
import { finishAnswer } from "./finish-answer.ts";

export type StepOutcome =
  | { kind: "succeeded"; output: string; warning?: string }
  | { kind: "ask-again"; warning: string }
  | { kind: "continue" };

/**
 * What a committed step means for the run, once its tool calls (if any) are done. The live loop and resume use
 * this one decision, so a resumed run ends exactly where a run that never stopped would.
 */
export function stepOutcome(
  assistant: AssistantMessage,
  finishReason: string,
  calls: readonly ToolCallRecord[],
  toolsRequired: boolean,
): StepOutcome {
  if (calls.length > 0) {
    const answer = finishAnswer(calls);
    return answer === undefined ? { kind: "continue" } : { kind: "succeeded", output: answer };
  }
  const cutShort = cutAtOutputLimit(finishReason);
  // A model that had to call a tool, or was cut off before saying anything, gets another step to do so.
  if (toolsRequired || (cutShort && assistant.text.trim() === "")) {
    return {
      kind: "ask-again",
      warning: cutShort
        ? "the answer was cut at the output limit before a complete tool call or answer"
        : "the model answered without calling a tool; asking again",
    };
  }
  return cutShort
    ? { kind: "succeeded", output: assistant.text, warning: "the answer was cut at the output limit" }
    : { kind: "succeeded", output: assistant.text };
}

// Providers name the output limit differently: "length" (OpenAI-style), "maxTokens" (llama.cpp), "max_tokens".
const outputLimitReasons = new Set(["length", "maxTokens", "max_tokens"]);

/** Whether a step's recorded finish reason means the model was cut at the output limit. */
export function cutAtOutputLimit(finishReason: string): boolean {
  return outputLimitReasons.has(finishReason);
}
