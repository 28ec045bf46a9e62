import type { ChatMessage } from "./chat-request-schema.ts";

const textOf = (content: ChatMessage["content"]): string => {
  if (typeof content === "string") return content;
  if (!content) return "";
  return content.map((part) => (part.type === "text" ? part.text : "[image]")).join("");
};

/**
 * An agent takes one task; a chat becomes that task. A single user message is the task as written; a longer
 * conversation is given as a transcript that ends with the message to answer.
 */
export function agentTask(messages: readonly ChatMessage[]): string {
  const turns = messages.filter((message) => message.role === "user" || message.role === "assistant");
  const callerInstructions = messages
    .filter((message) => message.role === "system" || message.role === "developer")
    .map((message) => textOf(message.content))
    .join("\n\n");
  const last = turns.at(-1);
  const lastText = last ? textOf(last.content) : "";
  const parts: string[] = [];
  if (callerInstructions) parts.push(`Instructions from the caller:\n${callerInstructions}`);
  if (turns.length > 1) {
    const transcript = turns
      .slice(0, -1)
      .map((message) => `${message.role}: ${textOf(message.content)}`)
      .join("\n\n");
    parts.push(`The conversation so far:\n${transcript}`, `Answer this last message:\n${lastText}`);
  } else {
    parts.push(lastText);
  }
  return parts.join("\n\n");
}
