import type { ModelEntry } from "../models/model-entry.ts";
import type { ChatCompletionRequest } from "./chat-request-schema.ts";
import { InvalidRequestError } from "./gateway-errors.ts";

/** Refuses an output allowance above the model's maximum, which no upstream could honour, before any call. */
export function checkOutputTokenLimit(body: ChatCompletionRequest, entry: Pick<ModelEntry, "maxOutputTokens">): void {
  const limit = entry.maxOutputTokens;
  for (const field of ["max_completion_tokens", "max_tokens"] as const) {
    const requested = body[field];
    if (requested === null || requested === undefined || requested <= limit) continue;
    throw new InvalidRequestError(
      `Field \`${field}\` is ${requested}, above ${body.model}'s maximum of ${limit} output tokens; nothing was ` +
        `sent to the model. Ask for at most ${limit}.`,
      { code: "invalid_value", param: field },
    );
  }
}
