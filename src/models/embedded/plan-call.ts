import {
  InvalidArgumentError,
  type LanguageModelV3CallOptions,
  type LanguageModelV3FunctionTool,
  type SharedV3Warning,
} from "@ai-sdk/provider";
import type { ChatHistoryItem, ChatWrapper, LlamaModel, Token } from "node-llama-cpp";
import { type AnswerShape, answerGrammar } from "./answer-grammar.ts";
import { convertPrompt } from "./convert-prompt.ts";
import { PromptTooLongError } from "./embedded-errors.ts";
import type { JsonSchemaDefinition } from "./json-schema.ts";
import { toolInstructions } from "./tool-protocol.ts";

/** Everything one call needs before it waits for the model: history, grammar, limits and sampling. */
export interface CallPlan {
  history: ChatHistoryItem[];
  grammar: string | undefined;
  callsAllowed: boolean;
  /** Input schemas of the tools the model may call, by name. */
  toolSchemas: Map<string, JsonSchemaDefinition>;
  /** The rendered prompt, tokenized as node-llama-cpp will evaluate it. */
  promptTokens: Token[];
  maxTokens: number;
  warnings: SharedV3Warning[];
}

// A few tokens of slack so generation never reaches the context's end, where node-llama-cpp would drop history.
const contextReserve = 4;
const smallestUsefulAnswer = 16;

export function planCall(
  options: LanguageModelV3CallOptions,
  model: LlamaModel,
  chatWrapper: ChatWrapper,
  contextSize: number,
): CallPlan {
  const warnings: SharedV3Warning[] = [];
  const functionTools: LanguageModelV3FunctionTool[] = [];
  for (const tool of options.tools ?? []) {
    if (tool.type === "function") functionTools.push(tool);
    else warnings.push({ type: "unsupported", feature: `provider tool ${tool.name}` });
  }
  const shape = answerShape(options, functionTools, warnings);
  const toolText = shape.kind === "tools" ? toolInstructions(shape.tools, shape.mustCall) : undefined;
  const history = convertPrompt(options.prompt, toolText);
  const promptTokens = chatWrapper.generateContextState({ chatHistory: history }).contextText.tokenize(model.tokenizer);
  const room = contextSize - promptTokens.length - contextReserve;
  const needed = Math.min(options.maxOutputTokens ?? smallestUsefulAnswer, smallestUsefulAnswer);
  if (room < needed) throw new PromptTooLongError(promptTokens.length, contextSize, needed);
  return {
    history,
    grammar: answerGrammar(shape),
    callsAllowed: shape.kind === "tools",
    toolSchemas: new Map(shape.kind === "tools" ? shape.tools.map((tool) => [tool.name, tool.inputSchema]) : []),
    promptTokens,
    // node-llama-cpp reads a maxTokens of 0 as "no limit".
    maxTokens: Math.max(1, Math.min(options.maxOutputTokens ?? room, room)),
    warnings,
  };
}

function answerShape(
  options: LanguageModelV3CallOptions,
  functionTools: LanguageModelV3FunctionTool[],
  warnings: SharedV3Warning[],
): AnswerShape {
  const choice = options.toolChoice ?? { type: "auto" };
  const format = options.responseFormat;
  if (functionTools.length === 0 || choice.type === "none") {
    return format?.type === "json"
      ? { kind: "json", schema: format.schema as JsonSchemaDefinition | undefined }
      : { kind: "text" };
  }
  if (format?.type === "json")
    warnings.push({ type: "unsupported", feature: "responseFormat json together with tools", details: "tools win" });
  let tools = functionTools;
  if (choice.type === "tool") {
    tools = functionTools.filter((tool) => tool.name === choice.toolName);
    if (tools.length === 0) {
      throw new InvalidArgumentError({
        argument: "toolChoice",
        message: `toolChoice names ${choice.toolName}, which is not among the tools passed (${functionTools.map((tool) => tool.name).join(", ")}).`,
      });
    }
  }
  return {
    kind: "tools",
    mustCall: choice.type !== "auto",
    tools: tools.map((tool) => ({
      name: tool.name,
      description: tool.description,
      inputSchema: tool.inputSchema as JsonSchemaDefinition,
    })),
  };
}
