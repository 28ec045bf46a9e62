import type { LanguageModelV3CallOptions } from "@ai-sdk/provider";

/** A tool result as the model received it. */
export interface ReceivedToolResult {
  toolCallId: string;
  toolName: string;
  output: string;
  isError: boolean;
}

/**
 * The tool results in a prompt a ScriptedModel received (`model.calls[n]`), in order: what your tools
 * returned to the model, after validation, redaction and truncation.
 */
export function toolResultsIn(call: LanguageModelV3CallOptions): ReceivedToolResult[] {
  const results: ReceivedToolResult[] = [];
  for (const message of call.prompt) {
    if (message.role !== "tool") continue;
    for (const part of message.content) {
      if (part.type !== "tool-result") continue;
      const output = part.output;
      // A result with images (`content`) is read as its text parts; the images are not text.
      const text =
        output.type === "content"
          ? output.value.flatMap((item) => (item.type === "text" ? [item.text] : [])).join("\n")
          : "value" in output
            ? typeof output.value === "string"
              ? output.value
              : JSON.stringify(output.value)
            : "";
      results.push({
        toolCallId: part.toolCallId,
        toolName: part.toolName,
        output: text,
        isError: output.type === "error-text" || output.type === "error-json",
      });
    }
  }
  return results;
}
