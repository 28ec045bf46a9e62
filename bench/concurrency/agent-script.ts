import type { DeepSeekServerOptions, ScriptedReply } from "../../test/support/deepseek-server/index.ts";

/** The file every run reads with its one tool call. */
export const noteFile = "note.txt";
export const noteText = "The answer is 42.\n";
export const finalAnswer = "done";

/**
 * The model side of the small agent loop each run does: the first call asks for `read_file` on the note, the
 * second (the tool's result in the messages) answers. Every call waits `delayMs` before its first byte.
 */
export function agentScript(delayMs: number): Pick<DeepSeekServerOptions, "fallback"> {
  return {
    fallback: (request): ScriptedReply => {
      const messages = (request.body as { messages?: { role: string }[] }).messages ?? [];
      const usage = { promptTokens: 300, completionTokens: 20 };
      if (messages.some((message) => message.role === "tool")) return { content: finalAnswer, delayMs, usage };
      return { toolCalls: [{ name: "read_file", arguments: { path: noteFile } }], delayMs, usage };
    },
  };
}
