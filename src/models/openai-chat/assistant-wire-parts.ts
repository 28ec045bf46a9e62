/** An assistant tool call in the OpenAI chat wire format. */
export interface WireToolCall {
  id: string;
  type: "function";
  function: { name: string; arguments: string };
}

type AssistantPart =
  | { type: "text"; text: string }
  | { type: "reasoning"; text: string }
  | { type: "tool-call"; toolCallId: string; toolName: string; input: unknown }
  | { type: string };

/** Gathers an assistant answer's parts into the wire message's text, reasoning_content and tool_calls. */
export function assistantWireParts(parts: Iterable<AssistantPart>): {
  text: string;
  reasoning: string | undefined;
  toolCalls: WireToolCall[];
} {
  let text = "";
  let reasoning: string | undefined;
  const toolCalls: WireToolCall[] = [];
  for (const part of parts) {
    if (part.type === "text" && "text" in part) text += part.text;
    else if (part.type === "reasoning" && "text" in part) reasoning = (reasoning ?? "") + part.text;
    else if (part.type === "tool-call" && "toolCallId" in part) {
      toolCalls.push({
        id: part.toolCallId,
        type: "function",
        function: {
          name: part.toolName,
          arguments: typeof part.input === "string" ? part.input : JSON.stringify(part.input),
        },
      });
    }
  }
  return { text, reasoning, toolCalls };
}
