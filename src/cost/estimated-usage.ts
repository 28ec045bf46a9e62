import { emptyUsage, type TokenUsage } from "./usage.ts";

/** What was seen of an answer that never reported its usage: UTF-8 bytes streamed and the deltas they came in. */
export interface StreamedOutput {
  /** Bytes of text and tool-call input. */
  outputBytes: number;
  /** Bytes of reasoning. */
  reasoningBytes: number;
  deltas: number;
}

export const nothingStreamed: StreamedOutput = { outputBytes: 0, reasoningBytes: 0, deltas: 0 };

/**
 * The one upper bound on a call whose real usage never came (interrupted by the user, the stream broke off, lost in
 * a crash), used by the agent and the gateway alike. The prompt bound (bytes: a BPE token covers at least one byte)
 * is all cache miss; output is the bytes streamed, at least one token per delta, never more than the output
 * allowance the call was sent with (the provider stops there), or the whole allowance when nothing is known of the
 * answer (`streamed` undefined). The recorded spend then never falls below what the provider billed.
 */
export function upperBoundUsage(
  promptTokenBound: number,
  streamed: StreamedOutput | undefined,
  allowanceTokens: number | undefined,
): TokenUsage {
  if (streamed === undefined) {
    return {
      ...emptyUsage(),
      inputTokens: promptTokenBound,
      cacheMissTokens: promptTokenBound,
      outputTokens: allowanceTokens ?? 0,
    };
  }
  const output = streamed;
  const bytes = output.outputBytes + output.reasoningBytes;
  const outputTokens = Math.min(Math.max(bytes, output.deltas), allowanceTokens ?? Number.POSITIVE_INFINITY);
  return {
    ...emptyUsage(),
    inputTokens: promptTokenBound,
    cacheMissTokens: promptTokenBound,
    outputTokens,
    reasoningTokens: bytes === 0 ? 0 : Math.round((outputTokens * output.reasoningBytes) / bytes),
  };
}
