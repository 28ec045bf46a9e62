import { checkFunctionCalls, type ModelCall } from "./ast-checker.ts";
import type { BfclTask } from "./bfcl-task.ts";
import { PythonJsonSyntaxError, parsePythonJson } from "./python-json.ts";

/** A tool call as the model returned it: the tool name and its arguments as JSON text. */
export interface ToolCallOutput {
  toolName: string;
  input: string;
}

export interface BfclVerdict {
  passed: boolean;
  error: string | null;
  /** BFCL's error type, e.g. `simple_function_checker:missing_required`, to count failure kinds. */
  errorType: string | null;
}

function decode(toolCalls: readonly ToolCallOutput[]): ModelCall[] | string {
  const calls: ModelCall[] = [];
  for (const toolCall of toolCalls) {
    let parsed: ReturnType<typeof parsePythonJson>;
    try {
      parsed = parsePythonJson(toolCall.input.trim() === "" ? "{}" : toolCall.input);
    } catch (error) {
      if (!(error instanceof PythonJsonSyntaxError)) throw error;
      return `the arguments of ${toolCall.toolName} are not valid JSON (${error.message})`;
    }
    if (!(parsed instanceof Map)) return `the arguments of ${toolCall.toolName} are not a JSON object`;
    calls.push({ name: toolCall.toolName, arguments: parsed });
  }
  return calls;
}

/** Scores the tool calls of one answer with BFCL's AST check; for irrelevance, calling nothing is the pass. */
export function scoreBfclTask(task: BfclTask, toolCalls: readonly ToolCallOutput[]): BfclVerdict {
  if (task.category === "irrelevance" || !task.expectedCalls) {
    if (toolCalls.length === 0) return { passed: true, error: null, errorType: null };
    const names = toolCalls.map((call) => call.toolName).join(", ");
    return {
      passed: false,
      error: `called ${names} though no function fits the question`,
      errorType: "irrelevance:called",
    };
  }
  const calls = decode(toolCalls);
  if (typeof calls === "string") return { passed: false, error: calls, errorType: "ast_decoder:decoder_failed" };
  const result = checkFunctionCalls(task.category, task.functions, calls, task.expectedCalls);
  if (result.valid) return { passed: true, error: null, errorType: null };
  return { passed: false, error: result.errors.join("\n"), errorType: result.errorType ?? "ast_checker:invalid" };
}
