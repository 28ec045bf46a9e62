import type { LanguageModelV3FinishReason } from "@ai-sdk/provider";
import type { TokenUsage } from "../../cost/usage.ts";
import type { ResponsesRequest } from "./responses-request-schema.ts";

/** The Responses API `usage`, with the exact amount the gateway billed beside the counts (Tansuo's `cost_usd`). */
export function responsesUsage(usage: TokenUsage, costUsd: string) {
  return {
    input_tokens: usage.inputTokens,
    input_tokens_details: { cached_tokens: usage.cacheHitTokens },
    output_tokens: usage.outputTokens,
    output_tokens_details: { reasoning_tokens: usage.reasoningTokens },
    total_tokens: usage.inputTokens + usage.outputTokens,
    cost_usd: costUsd,
  };
}

export type ResponsesUsage = ReturnType<typeof responsesUsage>;

/** How an answer ended, in the Responses API's words: cut by the output allowance or a filter is `incomplete`. */
export function responseStatusOf(finishReason: LanguageModelV3FinishReason): {
  status: "completed" | "incomplete";
  incomplete_details: { reason: "max_output_tokens" | "content_filter" } | null;
} {
  if (finishReason.unified === "length")
    return { status: "incomplete", incomplete_details: { reason: "max_output_tokens" } };
  if (finishReason.unified === "content-filter") {
    return { status: "incomplete", incomplete_details: { reason: "content_filter" } };
  }
  return { status: "completed", incomplete_details: null };
}

/** What one response object says of its request (the API echoes the request's settings in every response). */
export interface ResponseHeader {
  id: string;
  /** Unix seconds. */
  createdAt: number;
  model: string;
  request: ResponsesRequest;
}

/** A `response` object: the request's echo, its status, its output items and (once known) its usage. */
export function responseObject(
  header: ResponseHeader,
  state: {
    status: "in_progress" | "completed" | "incomplete" | "failed";
    output: readonly unknown[];
    usage?: ResponsesUsage;
    incompleteDetails?: { reason: string } | null;
    error?: { code: string; message: string } | null;
    completedAt?: number;
  },
) {
  const { request } = header;
  return {
    id: header.id,
    object: "response",
    created_at: header.createdAt,
    status: state.status,
    completed_at: state.completedAt ?? null,
    error: state.error ?? null,
    incomplete_details: state.incompleteDetails ?? null,
    instructions: request.instructions ?? null,
    max_output_tokens: request.max_output_tokens ?? null,
    model: header.model,
    output: state.output,
    parallel_tool_calls: request.parallel_tool_calls ?? true,
    previous_response_id: request.previous_response_id ?? null,
    reasoning: { effort: request.reasoning?.effort ?? null, summary: null },
    store: request.store ?? true,
    temperature: request.temperature ?? null,
    text: { format: { type: "text" } },
    tool_choice: request.tool_choice ?? "auto",
    tools: (request.tools ?? []).map((tool) => ({
      type: "function",
      name: tool.name,
      description: tool.description ?? null,
      parameters: tool.parameters ?? null,
      strict: tool.strict ?? null,
    })),
    top_p: request.top_p ?? null,
    truncation: "disabled",
    usage: state.usage ?? null,
    metadata: request.metadata ?? {},
  };
}

export type ResponseObject = ReturnType<typeof responseObject>;
