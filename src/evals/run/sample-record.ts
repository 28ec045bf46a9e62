import { emptyUsage } from "../../cost/usage.ts";
import type { ScoredAnswer } from "../suites/suite-definition.ts";
import type { SampleResult } from "./sample-result.ts";

export type SampleIdentity = Pick<SampleResult, "suite" | "model" | "taskId" | "category" | "sample" | "temperature">;

/** The results.jsonl line of a scored answer. */
export function scoredRecord(
  identity: SampleIdentity,
  scored: ScoredAnswer,
  answerText: string | null,
  call: Pick<SampleResult, "usage" | "costUsd" | "latencyMs" | "finishReason">,
): SampleResult {
  return {
    ...identity,
    status: scored.passed ? "passed" : "failed",
    answer: answerText,
    completion: scored.completion,
    error: scored.error,
    errorType: scored.errorType,
    finishReason: call.finishReason ?? null,
    usage: call.usage,
    costUsd: call.costUsd,
    latencyMs: call.latencyMs,
    scoredAt: new Date().toISOString(),
  };
}

/** The results.jsonl line of a model call that failed: no answer, no cost; a rerun tries it again. */
export function errorRecord(identity: SampleIdentity, error: unknown): SampleResult {
  return {
    ...identity,
    status: "error",
    answer: null,
    completion: null,
    error: error instanceof Error ? error.message : String(error),
    errorType: "model_call",
    finishReason: null,
    usage: emptyUsage(),
    costUsd: "0",
    latencyMs: null,
    scoredAt: new Date().toISOString(),
  };
}
