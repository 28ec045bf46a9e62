import type { LanguageModelV3ToolResultOutput } from "@ai-sdk/provider";
import type { ChatModelFunctions } from "node-llama-cpp";
import type { ToolSpec } from "./answer-grammar.ts";

/**
 * The tools as node-llama-cpp functions, which the chat wrapper documents in the model's own tool format.
 * The schemas are only shown to the model; Tansuo's grammar constrains the arguments.
 */
export function documentedFunctions(tools: ToolSpec[]): ChatModelFunctions {
  const functions: Record<string, { description?: string; params?: unknown }> = {};
  for (const tool of tools) {
    functions[tool.name] = {
      description: tool.description?.trim() || undefined,
      params: withoutMetadata(tool.inputSchema),
    };
  }
  return functions as ChatModelFunctions;
}

/** An earlier call's arguments as the value the wrapper renders inside its call markers. */
export function toolCallParams(input: unknown): unknown {
  if (typeof input !== "string") return input;
  try {
    return JSON.parse(input);
  } catch {
    return input;
  }
}

/** A tool's result as the value the wrapper renders in its tool-result turn. */
export function toolResultValue(toolName: string, output: LanguageModelV3ToolResultOutput): unknown {
  switch (output.type) {
    case "text":
    case "json":
      return output.value;
    case "error-text":
      return `${toolName} failed: ${output.value}`;
    case "error-json":
      return `${toolName} failed: ${JSON.stringify(output.value)}`;
    case "execution-denied":
      return `${toolName} was not run: the user denied it${output.reason ? ` (${output.reason})` : ""}.`;
    case "content":
      return output.value.map((part) => (part.type === "text" ? part.text : `[${part.type} omitted]`)).join("\n");
  }
}

// `$schema` and similar keys cost prompt tokens and tell the model nothing.
function withoutMetadata(schema: unknown): unknown {
  if (typeof schema !== "object" || schema === null) return schema;
  const { $schema: _schema, $id: _id, ...rest } = schema as Record<string, unknown>;
  return rest;
}
