import type { LanguageModelV3Content } from "@ai-sdk/provider";

/** The ids of one response's output items, derived from the response id so they are unique with it. */
export class OutputItemIds {
  private readonly hex: string;
  private calls = 0;

  constructor(responseId: string) {
    this.hex = responseId.replace(/^resp_/, "");
  }

  reasoning = () => `rs_${this.hex}`;
  message = () => `msg_${this.hex}`;
  functionCall = () => `fc_${this.hex}_${this.calls++}`;
}

export const reasoningItem = (id: string, text: string, status: "in_progress" | "completed") => ({
  type: "reasoning",
  id,
  summary: [],
  content: status === "completed" ? [{ type: "reasoning_text", text }] : [],
  status,
});

export const outputTextPart = (text: string) => ({ type: "output_text", text, annotations: [] });

export const messageItem = (id: string, text: string | undefined, status: "in_progress" | "completed") => ({
  type: "message",
  id,
  status,
  role: "assistant",
  content: text === undefined ? [] : [outputTextPart(text)],
});

export const functionCallItem = (
  id: string,
  call: { callId: string; name: string; arguments: string },
  status: "in_progress" | "completed",
) => ({ type: "function_call", id, call_id: call.callId, name: call.name, arguments: call.arguments, status });

/**
 * A whole answer's content as output items: its thinking as a `reasoning` item (sent back, it lets a thinking model
 * continue a tool-calling turn), its text as one assistant `message`, each tool call as a `function_call`.
 */
export function outputItemsOf(responseId: string, content: readonly LanguageModelV3Content[]): unknown[] {
  const ids = new OutputItemIds(responseId);
  const reasoning = content.flatMap((part) => (part.type === "reasoning" ? [part.text] : [])).join("");
  const text = content.flatMap((part) => (part.type === "text" ? [part.text] : [])).join("");
  const items: unknown[] = [];
  if (reasoning !== "") items.push(reasoningItem(ids.reasoning(), reasoning, "completed"));
  const calls = content.filter((part) => part.type === "tool-call").length;
  // An answer with neither text nor calls is still one (empty) message, as the API gives it.
  if (text !== "" || calls === 0) items.push(messageItem(ids.message(), text, "completed"));
  for (const part of content) {
    if (part.type !== "tool-call") continue;
    const call = { callId: part.toolCallId, name: part.toolName, arguments: part.input };
    items.push(functionCallItem(ids.functionCall(), call, "completed"));
  }
  return items;
}
