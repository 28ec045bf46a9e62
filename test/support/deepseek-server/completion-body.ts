import type { Envelope } from "./envelope.ts";
import type { ResolvedCompletion } from "./resolved-completion.ts";

/** The `chat.completion` object of a non-streaming answer. */
export function completionBody(completion: ResolvedCompletion, envelope: Envelope): Record<string, unknown> {
  const message: Record<string, unknown> = {
    role: "assistant",
    content: completion.content,
    reasoning_content: completion.reasoningContent,
  };
  if (completion.toolCalls.length > 0) {
    message.tool_calls = completion.toolCalls.map((call) => ({
      id: call.id,
      type: "function",
      function: { name: call.name, arguments: call.arguments },
    }));
  }
  return {
    id: envelope.id,
    object: "chat.completion",
    created: envelope.created,
    model: envelope.model,
    choices: [{ index: 0, message, logprobs: null, finish_reason: completion.finishReason }],
    usage: completion.usage,
    system_fingerprint: envelope.systemFingerprint,
  };
}
