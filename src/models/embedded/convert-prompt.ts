import { type LanguageModelV3Prompt, UnsupportedFunctionalityError } from "@ai-sdk/provider";
import type { ChatHistoryItem, ChatModelResponse } from "node-llama-cpp";
import { formatToolCall, formatToolResult } from "./tool-protocol.ts";

/**
 * The AI SDK prompt as node-llama-cpp chat history. Tool calls become the JSON the model is asked to write and
 * tool results become user messages; earlier reasoning is dropped, as most chat templates do. The history
 * always ends with a model turn, which node-llama-cpp continues.
 */
export function convertPrompt(prompt: LanguageModelV3Prompt, toolText: string | undefined): ChatHistoryItem[] {
  const history: ChatHistoryItem[] = [];
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
        for (const part of message.content) {
          if (part.type === "text") appendText(turn, part.text);
          else if (part.type === "tool-call") appendText(turn, formatToolCall(part.toolName, part.input));
          else if (part.type === "tool-result") appendText(turn, formatToolResult(part.toolName, part.output));
          else if (part.type === "file") throw unsupportedFile(part.mediaType);
        }
        break;
      }
      case "tool":
        for (const part of message.content) {
          if (part.type === "tool-result") addUserText(formatToolResult(part.toolName, part.output));
        }
        break;
    }
  }

  if (toolText !== undefined) addToolText(history, toolText);
  if (history.at(-1)?.type !== "model") history.push({ type: "model", response: [] });
  return history;
}

function appendText(turn: ChatModelResponse, text: string): void {
  const last = turn.response.at(-1);
  if (typeof last === "string") turn.response[turn.response.length - 1] = `${last}\n${text}`;
  else turn.response.push(text);
}

// Some chat templates render only the first system message, so the tools join it.
function addToolText(history: ChatHistoryItem[], toolText: string): void {
  const first = history[0];
  if (first?.type === "system" && typeof first.text === "string") first.text = `${first.text}\n\n${toolText}`;
  else history.unshift({ type: "system", text: toolText });
}

function unsupportedFile(mediaType: string): UnsupportedFunctionalityError {
  return new UnsupportedFunctionalityError({
    functionality: `file parts (${mediaType})`,
    message: `The embedded model reads text only; remove the ${mediaType} file from the prompt or use a remote model.`,
  });
}
