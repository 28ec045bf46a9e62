import type { SharedV3ProviderOptions } from "@ai-sdk/provider";
import type { ThinkingSetting } from "../models/providers/provider-descriptor.ts";
import type { ChatCompletionRequest } from "./chat-request-schema.ts";

/** OpenAI's effort levels as Tansuo's thinking switch: `none` and `minimal` turn it off, any real effort on. */
export function thinkingOfEffort(effort: ChatCompletionRequest["reasoning_effort"]): ThinkingSetting {
  if (effort === undefined || effort === null) return "auto";
  return effort === "none" || effort === "minimal" ? "off" : "on";
}

/**
 * The provider options for a request's thinking: DeepSeek's own `thinking` field is passed on as it is, else
 * `reasoning_effort` goes through the model's descriptor (nothing for a model without thinking).
 */
export function thinkingProviderOptions(
  request: ChatCompletionRequest,
  thinkingOptions: ((setting: ThinkingSetting) => SharedV3ProviderOptions | undefined) | undefined,
): SharedV3ProviderOptions | undefined {
  if (request.thinking) return { tansuo: { thinking: request.thinking.type } };
  const setting = thinkingOfEffort(request.reasoning_effort);
  return setting === "auto" ? undefined : thinkingOptions?.(setting);
}
