import type {
  ChatHistoryItem,
  ChatModelFunctionCall,
  ChatModelResponse,
  ChatWrapper,
  LlamaModel,
} from "node-llama-cpp";
import type { MessageText } from "../tokenizers/prompt-text.ts";
import type { PromptTokenizer } from "../tokenizers/prompt-tokenizer.ts";
import type { ToolSpec } from "./answer-grammar.ts";
import { withDocumentedTools } from "./chat-wrapper-choice.ts";
import type { JsonSchemaDefinition } from "./json-schema.ts";
import { documentedFunctions, toolCallParams, toolResultValue } from "./tool-protocol.ts";

/**
 * The messages as chat history, as convert-prompt.ts builds it: calls and their results are items of the model's
 * turn, results matched to the open calls in order. With `stubCalls`, a result with no open call gets a stub call,
 * so a tail of the prompt counts its result markers (and a stub call's, more) rather than plain user text.
 */
function historyOf(messages: readonly MessageText[], stubCalls: boolean): ChatHistoryItem[] {
  const history: ChatHistoryItem[] = [];
  const open: ChatModelFunctionCall[] = [];
  const lastModelTurn = (): ChatModelResponse => {
    const last = history.at(-1);
    if (last?.type === "model") return last;
    const turn: ChatModelResponse = { type: "model", response: [] };
    history.push(turn);
    return turn;
  };
  const addUserText = (text: string) => {
    const last = history.at(-1);
    if (last?.type === "user") last.text = `${last.text}\n\n${text}`;
    else history.push({ type: "user", text });
  };
  for (const message of messages) {
    if (message.role === "system") history.push({ type: "system", text: message.texts.join("") });
    else if (message.role === "user") addUserText(message.texts.join(""));
    else if (message.role === "assistant") {
      const turn = lastModelTurn();
      const text = message.texts.join("");
      if (text !== "") turn.response.push(text);
      message.toolCalls.forEach((call, position) => {
        const item: ChatModelFunctionCall = {
          type: "functionCall",
          name: call.name,
          params: toolCallParams(call.arguments),
          result: "(no result)",
          startsNewChunk: position === 0,
        };
        open.push(item);
        turn.response.push(item);
      });
    } else {
      message.texts.forEach((text, position) => {
        const given = message.results?.[position];
        // The value convert-prompt.ts gives the wrapper ("read_file failed: ...", a JSON value), else the wire text.
        const result = given ? toolResultValue(given.toolName, given.output) : text;
        const call = open.shift();
        if (call) call.result = result;
        else if (stubCalls) {
          const stub: ChatModelFunctionCall = {
            type: "functionCall",
            name: given?.toolName ?? "tool",
            params: {},
            result,
          };
          lastModelTurn().response.push(stub);
        } else {
          const shown = typeof result === "string" ? result : JSON.stringify(result);
          addUserText(`Result of ${given?.toolName ?? "a tool"}:\n${shown}`);
        }
      });
    }
  }
  if (history.at(-1)?.type !== "model") history.push({ type: "model", response: [] });
  return history;
}

/** The wire tools' JSON back as the specs the chat wrapper documents. */
function toolSpecs(toolsJson: string): ToolSpec[] {
  const wire = JSON.parse(toolsJson) as { function: { name: string; description?: string; parameters: unknown } }[];
  return wire.map(({ function: tool }) => ({
    name: tool.name,
    description: tool.description,
    inputSchema: tool.parameters as JsonSchemaDefinition,
  }));
}

/** A loaded GGUF model's own tokenizer over its chat wrapper's rendering, as plan-call.ts renders a call's prompt. */
export function embeddedPromptTokenizer(model: LlamaModel, chatWrapper: ChatWrapper): PromptTokenizer {
  const count = (history: ChatHistoryItem[], toolsJson: string | undefined) => {
    const functions = toolsJson === undefined ? undefined : documentedFunctions(toolSpecs(toolsJson));
    const wrapper = withDocumentedTools(chatWrapper, functions);
    return wrapper.generateContextState({ chatHistory: history }).contextText.tokenize(model.tokenizer).length;
  };
  return {
    name: "embedded",
    countPrompt: (messages, toolsJson) => count(historyOf(messages, false), toolsJson),
    // Rendered on their own, the template's opening and answer prompt counted again: more than they add, as a rule.
    countAppended: (messages) => count(historyOf(messages, true), undefined),
  };
}
