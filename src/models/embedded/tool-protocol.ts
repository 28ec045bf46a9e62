import type { LanguageModelV3ToolResultOutput } from "@ai-sdk/provider";
import type { ToolSpec } from "./answer-grammar.ts";

/**
 * System-prompt text that tells the model its tools and the one call format the grammar allows.
 * The format is the JSON inside Qwen/Hermes `<tool_call>` tags, which small instruct models know well.
 */
export function toolInstructions(tools: ToolSpec[], mustCall: boolean): string {
  const lines = [
    "# Tools",
    "To call a tool, reply with only this JSON object and nothing before or after it:",
    '{"name": "<tool name>", "arguments": <the arguments as a JSON object that matches the tool\'s parameters>}',
    "Call one tool per reply; its result comes back in the next message.",
    mustCall
      ? "You must call one of these tools in this reply."
      : "When no tool is needed, answer in plain text (not JSON).",
    "",
    "Available tools:",
  ];
  for (const tool of tools) {
    lines.push(`- ${tool.name}: ${tool.description?.trim() || "(no description)"}`);
    lines.push(`  parameters: ${JSON.stringify(withoutMetadata(tool.inputSchema))}`);
  }
  return lines.join("\n");
}

/** How an earlier call appears in the history: exactly the format the model is asked to write. */
export function formatToolCall(toolName: string, input: unknown): string {
  return JSON.stringify({ name: toolName, arguments: parseIfJsonText(input) });
}

/** How a tool's result appears in the history, as a message from the user's side. */
export function formatToolResult(toolName: string, output: LanguageModelV3ToolResultOutput): string {
  switch (output.type) {
    case "text":
      return `Result of ${toolName}:\n${output.value}`;
    case "json":
      return `Result of ${toolName}:\n${JSON.stringify(output.value)}`;
    case "error-text":
      return `${toolName} failed:\n${output.value}`;
    case "error-json":
      return `${toolName} failed:\n${JSON.stringify(output.value)}`;
    case "execution-denied":
      return `${toolName} was not run: the user denied it${output.reason ? ` (${output.reason})` : ""}.`;
    case "content": {
      const parts = output.value.map((part) => (part.type === "text" ? part.text : `[${part.type} omitted]`));
      return `Result of ${toolName}:\n${parts.join("\n")}`;
    }
  }
}

function parseIfJsonText(input: unknown): unknown {
  if (typeof input !== "string") return input;
  try {
    return JSON.parse(input);
  } catch {
    return input;
  }
}

// `$schema` and similar keys cost prompt tokens and tell the model nothing.
function withoutMetadata(schema: unknown): unknown {
  if (typeof schema !== "object" || schema === null) return schema;
  const { $schema: _schema, $id: _id, ...rest } = schema as Record<string, unknown>;
  return rest;
}
