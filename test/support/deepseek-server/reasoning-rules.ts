import type { ReasoningContentRule } from "./types.ts";

type WireMessage = Record<string, unknown>;

const legacyRejection =
  "The reasoning_content is an intermediate result for display purposes only and will not be included in the " +
  "context for inference. Please remove the reasoning_content from your messages.";

const missingOnToolTurn = (index: number): string =>
  `Missing \`reasoning_content\` field in the assistant message at message index ${index}. ` +
  "For more information, please refer to https://api-docs.deepseek.com/guides/thinking_mode#tool-calls";

/** Returns the 400 message the real API would send for these messages, or undefined when they pass. */
export function reasoningContentViolation(rule: ReasoningContentRule, body: WireMessage): string | undefined {
  const messages = Array.isArray(body.messages) ? (body.messages as unknown[]) : [];
  switch (rule) {
    case "none":
      return undefined;
    case "legacy-r1-rejects":
      return messages.some((message) => carriesReasoningOutsidePrefix(message)) ? legacyRejection : undefined;
    case "v3.2-requires-on-tool-turns": {
      if (!isThinkingMode(body)) return undefined;
      const index = messages.findIndex((message) => isToolCallTurnWithoutReasoning(message));
      return index === -1 ? undefined : missingOnToolTurn(index);
    }
  }
}

/**
 * Thinking mode as DeepSeek decides it: `thinking.type` when given, else the model's default
 * (`deepseek-reasoner` and the V4 names think; `deepseek-chat` does not).
 */
export function isThinkingMode(body: WireMessage): boolean {
  const thinking = body.thinking as { type?: unknown } | undefined;
  if (thinking?.type === "enabled") return true;
  if (thinking?.type === "disabled") return false;
  const model = typeof body.model === "string" ? body.model : "";
  return model.includes("reasoner") || model.includes("v4");
}

// The beta prefix-completion feature accepts reasoning_content on an assistant message with `prefix: true`.
function carriesReasoningOutsidePrefix(message: unknown): boolean {
  if (message === null || typeof message !== "object") return false;
  const record = message as WireMessage;
  return "reasoning_content" in record && record.prefix !== true;
}

function isToolCallTurnWithoutReasoning(message: unknown): boolean {
  if (message === null || typeof message !== "object") return false;
  const record = message as WireMessage;
  const hasToolCalls = Array.isArray(record.tool_calls) && record.tool_calls.length > 0;
  return record.role === "assistant" && hasToolCalls && typeof record.reasoning_content !== "string";
}
