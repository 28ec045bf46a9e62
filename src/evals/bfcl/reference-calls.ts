import type { BfclTask } from "./bfcl-task.ts";
import { type PythonDict, type PythonValue, pythonFloatText, pythonJsonDumps } from "./python-value.ts";
import type { ToolCallOutput } from "./score-bfcl-task.ts";
import { isJavaScriptCategory, toolNameOf } from "./tool-definitions.ts";

// JavaScript source for a value inside a collection: strings are quoted there.
function javaScriptLiteral(value: PythonValue): string {
  if (typeof value === "string") return JSON.stringify(value);
  return javaScriptSource(value);
}

/** A value as the JavaScript source text a model sends for a BFCL JavaScript parameter. */
function javaScriptSource(value: PythonValue): string {
  if (value === null) return "null";
  if (typeof value === "string") return value;
  if (typeof value === "boolean" || typeof value === "bigint") return String(value);
  if (typeof value === "number") return pythonFloatText(value);
  if (Array.isArray(value)) return `[${value.map(javaScriptLiteral).join(", ")}]`;
  return `{${[...value].map(([key, item]) => `${JSON.stringify(key)}: ${javaScriptLiteral(item)}`).join(", ")}}`;
}

// Dict answers are themselves keyed lists of accepted values (and lists of such dicts), resolved the same way.
function materialize(value: PythonValue): PythonValue {
  if (value instanceof Map) {
    const chosen: PythonDict = new Map();
    for (const [key, accepted] of value) {
      const choice = chooseAccepted(Array.isArray(accepted) ? accepted : [accepted]);
      if (choice !== undefined) chosen.set(key, choice);
    }
    return chosen;
  }
  if (Array.isArray(value) && value.length > 0 && value.every((item) => item instanceof Map))
    return value.map(materialize);
  return value;
}

// An optional parameter (`""` accepted) is left out, unless the function requires it: the answer key lists
// some optional parameters that the function does not even declare.
function chooseAccepted(accepted: readonly PythonValue[], required = false): PythonValue | undefined {
  if (accepted.includes("") && !required) return undefined;
  const first = accepted.find((candidate) => candidate !== "");
  return first === undefined ? undefined : materialize(first);
}

/**
 * The dataset's own answer as tool calls: the first accepted value of each parameter, optional ones left out.
 * Scoring these checks the harness, not a model: every category must pass.
 */
export function referenceToolCalls(task: BfclTask): ToolCallOutput[] {
  const javaScript = isJavaScriptCategory(task.category);
  return (task.expectedCalls ?? []).map((call) => {
    const required = task.functions.find((candidate) => candidate.name === call.name)?.parameters.required ?? [];
    const input: PythonDict = new Map();
    for (const [parameter, accepted] of call.parameters) {
      const value = chooseAccepted(accepted, required.includes(parameter));
      if (value !== undefined) input.set(parameter, javaScript ? javaScriptSource(value) : value);
    }
    return { toolName: toolNameOf(call.name), input: pythonJsonDumps(input) };
  });
}
