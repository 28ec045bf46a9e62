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
 * is all cache miss; output is the bytes streamed, at least one token per delta, or the whole output allowance
 * when nothing is known of the answer. The recorded spend then never falls below what the provider billed.
 */
export function upperBoundUsage(
  promptTokenBound: number,
  output: StreamedOutput | { allowanceTokens: number },
): TokenUsage {
  if ("allowanceTokens" in output) {
    return {
      ...emptyUsage(),
      inputTokens: promptTokenBound,
      cacheMissTokens: promptTokenBound,
      outputTokens: output.allowanceTokens,
    };
  }
  const bytes = output.outputBytes + output.reasoningBytes;
  const outputTokens = Math.max(bytes, output.deltas);
  return {
    ...emptyUsage(),
    inputTokens: promptTokenBound,
    cacheMissTokens: promptTokenBound,
    outputTokens,
    reasoningTokens: bytes === 0 ? 0 : Math.round((outputTokens * output.reasoningBytes) / bytes),
  };
}
