import type { JSONSchema7, LanguageModelV3CallOptions, LanguageModelV3FunctionTool } from "@ai-sdk/provider";
import type { ThinkingSetting } from "../../models/providers/provider-descriptor.ts";
import type { ResolvedModel } from "../../models/resolved-model.ts";
import type { ModelCompletionRequest } from "../complete-with-model.ts";
import { InvalidRequestError } from "../gateway-errors.ts";
import { messagesFormat } from "./messages-format.ts";
import type { MessagesPrompt, MessagesRequest } from "./messages-request-schema.ts";
import { messagesToPrompt, promptHasToolImages } from "./messages-to-prompt.ts";

/** The request's tools as provider function tools; undefined when there are none. */
export function messagesTools(request: Pick<MessagesPrompt, "tools">): LanguageModelV3FunctionTool[] | undefined {
  const tools = (request.tools ?? []).map(
    (tool): LanguageModelV3FunctionTool => ({
      type: "function",
      name: tool.name,
      description: tool.description,
      inputSchema: tool.input_schema as JSONSchema7,
    }),
  );
  return tools.length > 0 ? tools : undefined;
}

function toolChoiceOf(choice: MessagesPrompt["tool_choice"]): LanguageModelV3CallOptions["toolChoice"] {
  if (choice === undefined) return undefined;
  switch (choice.type) {
    case "any":
      return { type: "required" };
    case "tool":
      return { type: "tool", toolName: choice.name };
    default:
      return { type: choice.type };
  }
}

/** Anthropic's `thinking` as Tansuo's switch: enabled on, disabled off, adaptive (or none) the model's default. */
function thinkingOf(thinking: MessagesPrompt["thinking"]): ThinkingSetting {
  if (thinking?.type === "enabled") return "on";
  return thinking?.type === "disabled" ? "off" : "auto";
}

/** An Anthropic Messages request as provider-level call options (the output allowance is set by the budget). */
export function messagesToCallOptions(
  request: MessagesRequest,
  model?: Pick<ResolvedModel, "thinkingOptions">,
): LanguageModelV3CallOptions {
  const thinking = thinkingOf(request.thinking);
  return {
    prompt: messagesToPrompt(request),
    maxOutputTokens: request.max_tokens,
    temperature: request.temperature,
    topP: request.top_p,
    topK: request.top_k,
    stopSequences: request.stop_sequences,
    tools: messagesTools(request),
    toolChoice: toolChoiceOf(request.tool_choice),
    providerOptions: thinking === "auto" ? undefined : model?.thinkingOptions?.(thinking),
  };
}

/** Refuses what no upstream could take before any call: an allowance above the model's, tool images to a blind model. */
function checkForModel(request: MessagesRequest, options: LanguageModelV3CallOptions, resolved: ResolvedModel): void {
  const limit = resolved.entry.maxOutputTokens;
  if (request.max_tokens > limit) {
    throw new InvalidRequestError(
      `Field \`max_tokens\` is ${request.max_tokens}, above ${request.model}'s maximum of ${limit} output tokens; ` +
        `nothing was sent to the model. Ask for at most ${limit}.`,
      { code: "invalid_value", param: "max_tokens" },
    );
  }
  if (!resolved.entry.capabilities.vision && promptHasToolImages(options.prompt)) {
    throw new InvalidRequestError(
      `The model \`${request.model}\` has no vision, so a tool_result cannot carry images; nothing was sent upstream. ` +
        "Use a vision model (GET /v1/models), or send the tool's text only.",
      { code: "model_not_vision", param: "messages" },
    );
  }
}

/** A Messages request as the gateway's model call: its translation, and its answer in Anthropic's shape. */
export function messagesCall(
  request: MessagesRequest,
): Pick<ModelCompletionRequest, "model" | "stream" | "translate" | "format"> {
  return {
    model: request.model,
    stream: request.stream === true,
    translate: (resolved) => {
      const options = messagesToCallOptions(request, resolved);
      checkForModel(request, options, resolved);
      return { options, requestedOutputTokens: request.max_tokens };
    },
    format: messagesFormat,
  };
}
