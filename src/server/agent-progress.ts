import type { RunEvent } from "../agent/index.ts";

const shorten = (text: string, width: number): string => {
  const flat = text.replace(/\s+/g, " ").trim();
  return flat.length <= width ? flat : `${flat.slice(0, width - 1)}…`;
};

/**
 * An agent's live events as chat deltas: what it says is `content` (steps apart by a blank line), its thinking
 * and its tool calls and results are `reasoning_content`, which OpenAI-compatible clients show as progress.
 */
export function agentProgressDelta(event: RunEvent): Record<string, string> | undefined {
  switch (event.type) {
    case "step-started":
      return event.step > 0 ? { reasoning_content: "\n" } : undefined;
    case "text-delta":
      return event.text === "" ? undefined : { content: event.text };
    case "reasoning-delta":
      return event.text === "" ? undefined : { reasoning_content: event.text };
    case "tool-call":
      return { reasoning_content: `\n[tool] ${event.toolName} ${shorten(event.input, 200)}\n` };
    case "tool-result":
      return {
        reasoning_content: `[result${event.isError ? ", error" : ""}] ${event.toolName}: ${shorten(event.output, 300)}\n`,
      };
    case "retry":
      return { reasoning_content: `[retry ${event.attempt}] ${event.message}\n` };
    case "warning":
      return { reasoning_content: `[warning] ${event.message}\n` };
    default:
      return undefined;
  }
}

/** What the caller is told when the agent stopped to wait for a person. */
export function approvalNotice(runId: string, calls: readonly { tool: string; input: string }[]): string {
  const list = calls.map((call) => `${call.tool} ${shorten(call.input, 200)}`).join("; ");
  return (
    `Run ${runId} is waiting for approval of: ${list}. Approve with POST /v1/runs/${runId}/approve ` +
    `(or deny with {"approve": false}), then follow GET /v1/runs/${runId}/events.`
  );
}
