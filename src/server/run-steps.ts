import { Usd } from "../cost/usd.ts";
import type { RunMessage, StepRecord, ToolCallRecord } from "../store/records.ts";

// The step recorder marks a billed upper bound (no usage from the provider, a call cut off or lost) in its price row.
const isEstimated = (step: StepRecord): boolean =>
  typeof step.price === "object" && step.price !== null && (step.price as { estimated?: unknown }).estimated === true;

/** A run's steps as the viewer's timeline shows them, each with its tool calls and the cost so far. */
export function viewerSteps(steps: readonly StepRecord[], toolCalls: readonly ToolCallRecord[]) {
  let cumulative = Usd.zero as string;
  return steps.map((step) => {
    cumulative = Usd.add(cumulative, step.costUsd);
    return {
      index: step.index,
      model: step.model,
      created_at: step.createdAt,
      finish_reason: step.finishReason,
      reasoning: step.assistant.reasoning ?? null,
      text: step.assistant.text,
      discarded: step.assistant.discarded === true,
      estimated: isEstimated(step),
      usage: {
        cache_hit_tokens: step.usage.cacheHitTokens,
        cache_miss_tokens: step.usage.cacheMissTokens,
        output_tokens: step.usage.outputTokens,
        reasoning_tokens: step.usage.reasoningTokens,
      },
      cost_usd: step.costUsd,
      cumulative_cost_usd: cumulative,
      tool_calls: toolCalls
        .filter((call) => call.stepIndex === step.index)
        .sort((left, right) => left.position - right.position)
        .map((call) => ({
          call_id: call.callId,
          tool: call.toolName,
          input: call.input,
          status: call.status,
          output: call.output ?? null,
          is_error: call.isError,
          image_count: call.outputImages?.length ?? 0,
          started_at: call.startedAt ?? null,
          finished_at: call.finishedAt ?? null,
        })),
    };
  });
}

export const viewerMessages = (messages: readonly RunMessage[]) =>
  messages.map((message) => ({
    index: message.index,
    after_step: message.afterStep,
    content: message.content,
    created_at: message.createdAt,
  }));
