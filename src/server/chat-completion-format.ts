import type { LanguageModelV3StreamPart } from "@ai-sdk/provider";
import type { AnswerFormat, AnswerStreamWriter, BilledUsage } from "./answer-format.ts";
import { chatCompletionBody } from "./chat-completion-body.ts";
import { ChatCompletionChunks } from "./chat-completion-chunks.ts";
import { openAiErrorBody } from "./error-response.ts";
import { openAiFinishReason } from "./finish-reason.ts";
import { openAiUsage } from "./openai-usage.ts";
import { dataText, doneText } from "./server-sent-events.ts";

const usageOf = (billed: BilledUsage) => openAiUsage(billed.usage, billed.costUsd);

/** The Chat Completions API: `chat.completion` bodies and `chat.completion.chunk` streams ending in `[DONE]`. */
export function chatCompletionFormat(options: { includeUsage: boolean }): AnswerFormat {
  return {
    idPrefix: "chatcmpl-",
    body: (answer) => chatCompletionBody({ ...answer, usage: usageOf(answer.billed) }),
    streamWriter: ({ id, created, model }) =>
      chatCompletionStreamWriter(new ChatCompletionChunks(id, created, model), options.includeUsage),
  };
}

/** Text as `content`, reasoning as `reasoning_content`, tool calls as indexed deltas, then finish, usage, [DONE]. */
function chatCompletionStreamWriter(chunks: ChatCompletionChunks, includeUsage: boolean): AnswerStreamWriter {
  const toolIndexes = new Map<string, number>();
  const frame = (delta: Record<string, unknown>) => dataText(chunks.delta(delta));
  const usageFrame = (billed: BilledUsage) => (includeUsage ? dataText(chunks.usage(usageOf(billed))) : "");
  const deltaOf = (part: LanguageModelV3StreamPart): Record<string, unknown> | undefined => {
    switch (part.type) {
      case "text-delta":
        return part.delta === "" ? undefined : { content: part.delta };
      case "reasoning-delta":
        return part.delta === "" ? undefined : { reasoning_content: part.delta };
      case "tool-input-start": {
        const index = toolIndexes.size;
        toolIndexes.set(part.id, index);
        return {
          tool_calls: [{ index, id: part.id, type: "function", function: { name: part.toolName, arguments: "" } }],
        };
      }
      case "tool-input-delta": {
        const index = toolIndexes.get(part.id);
        if (index === undefined || part.delta === "") return undefined;
        return { tool_calls: [{ index, function: { arguments: part.delta } }] };
      }
      case "tool-call": {
        // Providers that stream no tool input send the whole call here; one already streamed is not sent twice.
        if (toolIndexes.has(part.toolCallId)) return undefined;
        const index = toolIndexes.size;
        toolIndexes.set(part.toolCallId, index);
        const call = { name: part.toolName, arguments: part.input };
        return { tool_calls: [{ index, id: part.toolCallId, type: "function", function: call }] };
      }
      default:
        return undefined;
    }
  };
  return {
    opening: () => frame({ role: "assistant", content: "" }),
    part: (part) => {
      const delta = deltaOf(part);
      return delta ? frame(delta) : "";
    },
    finished: (finishReason, billed) =>
      dataText(chunks.delta({}, openAiFinishReason(finishReason))) + usageFrame(billed) + doneText,
    cut: (error, billed) => dataText(JSON.stringify(openAiErrorBody(error))) + usageFrame(billed),
  };
}
