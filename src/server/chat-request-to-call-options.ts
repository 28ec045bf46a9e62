import type { JSONSchema7, LanguageModelV3CallOptions, LanguageModelV3FunctionTool } from "@ai-sdk/provider";
import type { ResolvedModel } from "../models/resolved-model.ts";
import { chatCompletionFormat } from "./chat-completion-format.ts";
import { chatMessagesToPrompt } from "./chat-messages-to-prompt.ts";
import type { ChatCompletionRequest } from "./chat-request-schema.ts";
import type { ModelCompletionRequest } from "./complete-with-model.ts";
import { checkOutputTokenLimit } from "./output-token-limit.ts";
import { thinkingProviderOptions } from "./reasoning-effort.ts";

const emptyObjectSchema: JSONSchema7 = { type: "object", properties: {} };

function toolChoiceOf(choice: ChatCompletionRequest["tool_choice"]): LanguageModelV3CallOptions["toolChoice"] {
  if (choice === null || choice === undefined) return undefined;
  if (typeof choice === "string") return { type: choice };
  return { type: "tool", toolName: choice.function.name };
}

function responseFormatOf(
  format: ChatCompletionRequest["response_format"],
): LanguageModelV3CallOptions["responseFormat"] {
  if (!format || format.type === "text") return format ? { type: "text" } : undefined;
  if (format.type === "json_object") return { type: "json" };
  return {
    type: "json",
    name: format.json_schema.name,
    description: format.json_schema.description,
    schema: format.json_schema.schema as JSONSchema7 | undefined,
  };
}

/** The caller's output allowance: max_completion_tokens (the newer name) wins over max_tokens. */
export const requestedOutputTokens = (request: ChatCompletionRequest): number | undefined =>
  request.max_completion_tokens ?? request.max_tokens ?? undefined;

/** An OpenAI chat-completions request as provider-level call options (the output allowance is set by the budget). */
export function chatRequestToCallOptions(
  request: ChatCompletionRequest,
  model?: Pick<ResolvedModel, "thinkingOptions">,
): LanguageModelV3CallOptions {
  const tools: LanguageModelV3FunctionTool[] = (request.tools ?? []).map((tool) => ({
    type: "function",
    name: tool.function.name,
    description: tool.function.description,
    inputSchema: (tool.function.parameters as JSONSchema7 | undefined) ?? emptyObjectSchema,
  }));
  const stop = request.stop ?? undefined;
  return {
    prompt: chatMessagesToPrompt(request.messages),
    maxOutputTokens: requestedOutputTokens(request),
    temperature: request.temperature ?? undefined,
    topP: request.top_p ?? undefined,
    frequencyPenalty: request.frequency_penalty ?? undefined,
    presencePenalty: request.presence_penalty ?? undefined,
    stopSequences: stop === undefined ? undefined : typeof stop === "string" ? [stop] : stop,
    seed: request.seed ?? undefined,
    tools: tools.length > 0 ? tools : undefined,
    toolChoice: toolChoiceOf(request.tool_choice),
    responseFormat: responseFormatOf(request.response_format),
    providerOptions: thinkingProviderOptions(request, model?.thinkingOptions),
  };
}

/** A chat-completions request as the gateway's model call: its translation, and its answer in this API's shape. */
export function chatCompletionCall(
  request: ChatCompletionRequest,
): Pick<ModelCompletionRequest, "model" | "stream" | "translate" | "format"> {
  return {
    model: request.model,
    stream: request.stream === true,
    translate: (resolved) => {
      checkOutputTokenLimit(request, resolved.entry);
      return {
        options: chatRequestToCallOptions(request, resolved),
        requestedOutputTokens: requestedOutputTokens(request),
      };
    },
    format: chatCompletionFormat({ includeUsage: request.stream_options?.include_usage === true }),
  };
}
