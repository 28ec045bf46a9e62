import type { Envelope } from "./envelope.ts";
import type { ResolvedCompletion } from "./resolved-completion.ts";
import { splitIntoPieces } from "./split-text.ts";

type Delta = Record<string, unknown>;

/**
 * The `chat.completion.chunk` objects of a streaming answer, in DeepSeek's order: role, reasoning, content,
 * tool calls, finish reason, then (with `include_usage`) a `choices: []` usage chunk.
 * An answer with reasoning uses the thinking-mode shape, where every delta carries both `content` and
 * `reasoning_content` (one of them null).
 */
export function streamChunks(
  completion: ResolvedCompletion,
  envelope: Envelope,
  includeUsage: boolean,
): Record<string, unknown>[] {
  const thinking = completion.reasoningContent !== null;
  const deltas: Delta[] = [
    thinking ? { role: "assistant", content: null, reasoning_content: "" } : { role: "assistant", content: "" },
  ];
  for (const piece of splitIntoPieces(completion.reasoningContent ?? "")) {
    deltas.push({ content: null, reasoning_content: piece });
  }
  for (const piece of splitIntoPieces(completion.content ?? "")) {
    deltas.push(thinking ? { content: piece, reasoning_content: null } : { content: piece });
  }
  completion.toolCalls.forEach((call, index) => {
    const base: Delta = thinking ? { content: null, reasoning_content: null } : {};
    deltas.push({
      ...base,
      tool_calls: [{ index, id: call.id, type: "function", function: { name: call.name, arguments: "" } }],
    });
    for (const fragment of splitIntoPieces(call.arguments)) {
      deltas.push({ ...base, tool_calls: [{ index, function: { arguments: fragment } }] });
    }
  });

  const chunk = (choices: unknown[], usage?: unknown): Record<string, unknown> => ({
    id: envelope.id,
    object: "chat.completion.chunk",
    created: envelope.created,
    model: envelope.model,
    system_fingerprint: envelope.systemFingerprint,
    choices,
    ...(includeUsage ? { usage: usage ?? null } : {}),
  });
  const choice = (delta: Delta, finishReason: string | null) => ({
    index: 0,
    delta,
    logprobs: null,
    finish_reason: finishReason,
  });

  const chunks = deltas.map((delta) => chunk([choice(delta, null)]));
  const finalDelta = thinking ? { content: "", reasoning_content: null } : { content: "" };
  chunks.push(chunk([choice(finalDelta, completion.finishReason)]));
  if (includeUsage) chunks.push(chunk([], completion.usage));
  return chunks;
}
