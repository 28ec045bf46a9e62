import type { JSONSchema7, LanguageModelV3CallOptions, LanguageModelV3FunctionTool } from "@ai-sdk/provider";
import type { ResolvedModel } from "../../models/resolved-model.ts";
import type { ModelCompletionRequest } from "../complete-with-model.ts";
import { InvalidRequestError } from "../gateway-errors.ts";
import { thinkingOfEffort } from "../reasoning-effort.ts";
import type { ResponseObject } from "./response-object.ts";
import { responsesFormat } from "./responses-format.ts";
import { responsesInputToPrompt } from "./responses-input-to-prompt.ts";
import type { ResponsesInputItem, ResponsesRequest } from "./responses-request-schema.ts";

const emptyObjectSchema: JSONSchema7 = { type: "object", properties: {} };

/** A request's `input` as items: a string is one user message. */
export const inputItemsOf = (request: ResponsesRequest): ResponsesInputItem[] =>
  typeof request.input === "string" ? [{ type: "message", role: "user", content: request.input }] : request.input;

/** The conversation a request continues: the stored chain's items, and where its answer is kept. */
export interface ResponseConversation {
  /** The earlier responses' input and output items, oldest first (empty without previous_response_id). */
  history: readonly ResponsesInputItem[];
  /** Called with the finished response (a `store: false` request keeps nothing). */
  keep(response: ResponseObject): void;
}

function toolChoiceOf(choice: ResponsesRequest["tool_choice"]): LanguageModelV3CallOptions["toolChoice"] {
  if (choice === null || choice === undefined) return undefined;
  if (typeof choice === "string") return { type: choice };
  return { type: "tool", toolName: choice.name };
}

/** A Responses API request as provider-level call options (the output allowance is set by the budget). */
export function responsesRequestToCallOptions(
  request: ResponsesRequest,
  history: readonly ResponsesInputItem[],
  model?: Pick<ResolvedModel, "thinkingOptions">,
): LanguageModelV3CallOptions {
  const tools: LanguageModelV3FunctionTool[] = (request.tools ?? []).map((tool) => ({
    type: "function",
    name: tool.name,
    description: tool.description ?? undefined,
    inputSchema: (tool.parameters as JSONSchema7 | undefined) ?? emptyObjectSchema,
  }));
  const param = (index: number) =>
    index < history.length ? `previous_response_id (its item ${index})` : `input[${index - history.length}]`;
  const thinking = thinkingOfEffort(request.reasoning?.effort);
  return {
    prompt: responsesInputToPrompt(request.instructions, [...history, ...inputItemsOf(request)], param),
    maxOutputTokens: request.max_output_tokens ?? undefined,
    temperature: request.temperature ?? undefined,
    topP: request.top_p ?? undefined,
    tools: tools.length > 0 ? tools : undefined,
    toolChoice: toolChoiceOf(request.tool_choice),
    providerOptions: thinking === "auto" ? undefined : model?.thinkingOptions?.(thinking),
  };
}

/** A Responses API request as the gateway's model call: its translation, and its answer in this API's shape. */
export function responsesCall(
  request: ResponsesRequest,
  conversation: ResponseConversation,
): Pick<ModelCompletionRequest, "model" | "stream" | "translate" | "format"> {
  return {
    model: request.model,
    stream: request.stream === true,
    translate: (resolved) => {
      const limit = resolved.entry.maxOutputTokens;
      const requested = request.max_output_tokens;
      if (requested !== null && requested !== undefined && requested > limit) {
        throw new InvalidRequestError(
          `Field \`max_output_tokens\` is ${requested}, above ${request.model}'s maximum of ${limit} output tokens; ` +
            `nothing was sent to the model. Ask for at most ${limit}.`,
          { param: "max_output_tokens" },
        );
      }
      return {
        options: responsesRequestToCallOptions(request, conversation.history, resolved),
        requestedOutputTokens: requested ?? undefined,
      };
    },
    format: responsesFormat(request, (response) => conversation.keep(response)),
  };
}
