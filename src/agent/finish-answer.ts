import type { ToolCallRecord } from "../store/records.ts";
import { finishToolName } from "../tools/builtin/finish.ts";

/** The answer of a successful `finish` call among a step's calls, if there is one. */
export function finishAnswer(calls: readonly ToolCallRecord[]): string | undefined {
  const call = calls.find((candidate) => candidate.toolName === finishToolName && !candidate.isError);
  if (call?.status !== "finished") return undefined;
  try {
    return String((JSON.parse(call.input) as { answer: unknown }).answer);
  } catch {
    return undefined;
  }
}
