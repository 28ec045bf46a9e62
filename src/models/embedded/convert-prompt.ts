import { type LanguageModelV3Prompt, UnsupportedFunctionalityError } from "@ai-sdk/provider";
import type { ChatHistoryItem, ChatModelFunctionCall, ChatModelResponse } from "node-llama-cpp";
import { toolCallParams, toolResultValue } from "./tool-protocol.ts";

/**
 * The AI SDK prompt as node-llama-cpp chat history. Tool calls and their results become function-call items
 * of the model's turn, so the chat wrapper renders them in the model's trained syntax and tool-result role;
 * earlier reasoning is dropped, as most chat templates do. The history always ends with a model turn, which
 * node-llama-cpp continues.
 */
export function convertPrompt(prompt: LanguageModelV3Prompt): ChatHistoryItem[] {
  const history: ChatHistoryItem[] = [];
  const calls = new Map<string, ChatModelFunctionCall>();
  const addUserText = (text: string) => {
    const last = history.at(-1);
    if (last?.type === "user") last.text = `${last.text}\n\n${text}`;
    else history.push({ type: "user", text });
  };
  const modelTurn = (): ChatModelResponse => {
    const last = history.at(-1);
    if (last?.type === "model") return last;
    const turn: ChatModelResponse = { type: "model", response: [] };
    history.push(turn);
    return turn;
  };

  for (const message of prompt) {
    switch (message.role) {
      case "system":
        history.push({ type: "system", text: message.content });
        break;
      case "user":
        addUserText(
          message.content
            .map((part) => {
              if (part.type === "text") return part.text;
              throw unsupportedFile(part.mediaType);
            })
            .join("\n"),
        );
        break;
      case "assistant": {
        const turn = modelTurn();
        let startsNewChunk = true;
        for (const part of message.content) {
          if (part.type === "text") appendText(turn, part.text);
          else if (part.type === "tool-call") {
            const call: ChatModelFunctionCall = {
              type: "functionCall",
              name: part.toolName,
              params: toolCallParams(part.input),
              result: "(no result)",
              startsNewChunk,
            };
            startsNewChunk = false;
            calls.set(part.toolCallId, call);
            turn.response.push(call);
          } else if (part.type === "tool-result") {
            appendText(turn, JSON.stringify(toolResultValue(part.toolName, part.output)));
          } else if (part.type === "file") throw unsupportedFile(part.mediaType);
        }
        break;
      }
      case "tool":
        for (const part of message.content) {
          if (part.type !== "tool-result") continue;
          const call = calls.get(part.toolCallId);
          const result = toolResultValue(part.toolName, part.output);
          // A result without its call (a trimmed history) still reaches the model, as user text.
          if (call) call.result = result;
          else
            addUserText(`Result of ${part.toolName}:\n${typeof result === "string" ? result : JSON.stringify(result)}`);
        }
        break;
    }
  }

  if (history.at(-1)?.type !== "model") history.push({ type: "model", response: [] });
  return history;
}

function appendText(turn: ChatModelResponse, text: string): void {
  const last = turn.response.at(-1);
  if (typeof last === "string") turn.response[turn.response.length - 1] = `${last}\n${text}`;
  else turn.response.push(text);
}

function unsupportedFile(mediaType: string): UnsupportedFunctionalityError {
  return new UnsupportedFunctionalityError({
    functionality: `file parts (${mediaType})`,
    message: `The embedded model reads text only; remove the ${mediaType} file from the prompt or use a remote model.`,
  });
}
