import type { LanguageModelV3CallOptions } from "@ai-sdk/provider";
import { toolsOf } from "../bfcl/tool-definitions.ts";
import { codePrompt } from "./code-prompt.ts";
import type { EvalTask } from "./eval-task.ts";

/** What a task asks of the model: the messages and, for BFCL, its functions as tools (BFCL's function-calling mode). */
export function modelRequest(task: EvalTask): Pick<LanguageModelV3CallOptions, "prompt" | "tools" | "toolChoice"> {
  if (task.kind === "code") {
    return { prompt: [{ role: "user", content: [{ type: "text", text: codePrompt(task) }] }] };
  }
  return {
    prompt: task.messages.map((message) =>
      message.role === "system"
        ? { role: "system" as const, content: message.content }
        : { role: message.role, content: [{ type: "text" as const, text: message.content }] },
    ),
    tools: toolsOf(task),
    toolChoice: { type: "auto" },
  };
}
