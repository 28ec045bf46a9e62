import {
  InvalidArgumentError,
  type LanguageModelV3CallOptions,
  type LanguageModelV3FunctionTool,
  type SharedV3Warning,
} from "@ai-sdk/provider";
import type { ChatHistoryItem, ChatModelFunctions, ChatWrapper, LlamaModel, Token } from "node-llama-cpp";
import { type AnswerShape, answerGrammar, nativeCallsGrammar, type ToolSpec } from "./answer-grammar.ts";
import { withDocumentedTools } from "./chat-wrapper-choice.ts";
import { convertPrompt } from "./convert-prompt.ts";
import { PromptTooLongError } from "./embedded-errors.ts";
import type { JsonSchemaDefinition } from "./json-schema.ts";
import { type NativeCallSyntax, nativeCallSyntax } from "./native-call-syntax.ts";
import { documentedFunctions } from "./tool-protocol.ts";

/** How the model may call tools this time, in its chat wrapper's native syntax. */
export interface ToolCallPlan {
  mustCall: boolean;
  syntax: NativeCallSyntax;
  /** Grammar of a whole answer of calls, for when the model must call. */
  callsGrammar: string;
  /** Grammar of the calls after the opener, for when the model opened a call while writing freely. */
  afterOpenerGrammar: string;
  /** Input schemas of the tools the model may call, by name. */
  schemas: Map<string, JsonSchemaDefinition>;
}

/** Everything one call needs before it waits for the model: history, grammar, limits and sampling. */
export interface CallPlan {
  history: ChatHistoryItem[];
  /** The tools the chat wrapper documents in the model's own format on this call. */
  functions: ChatModelFunctions | undefined;
  /** Grammar of a text or JSON answer. */
  grammar: string | undefined;
  tools: ToolCallPlan | undefined;
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
  const history = convertPrompt(options.prompt);
  const functions = shape.kind === "tools" ? documentedFunctions(shape.tools) : undefined;
  const wrapper = withDocumentedTools(chatWrapper, functions);
  const promptTokens = wrapper.generateContextState({ chatHistory: history }).contextText.tokenize(model.tokenizer);
  const room = contextSize - promptTokens.length - contextReserve;
  const needed = Math.min(options.maxOutputTokens ?? smallestUsefulAnswer, smallestUsefulAnswer);
  if (room < needed) throw new PromptTooLongError(promptTokens.length, contextSize, needed);
  return {
    history,
    functions,
    grammar: answerGrammar(shape),
    tools:
      shape.kind === "tools" ? toolCallPlan(shape.tools, shape.mustCall, nativeCallSyntax(chatWrapper)) : undefined,
    promptTokens,
    // node-llama-cpp reads a maxTokens of 0 as "no limit".
    maxTokens: Math.max(1, Math.min(options.maxOutputTokens ?? room, room)),
    warnings,
  };
}

function toolCallPlan(tools: ToolSpec[], mustCall: boolean, syntax: NativeCallSyntax): ToolCallPlan {
  return {
    mustCall,
    syntax,
    callsGrammar: nativeCallsGrammar(tools, syntax, false),
    afterOpenerGrammar: nativeCallsGrammar(tools, syntax, true),
    schemas: new Map(tools.map((tool) => [tool.name, tool.inputSchema])),
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
