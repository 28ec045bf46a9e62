import type { LanguageModelV3StreamPart } from "@ai-sdk/provider";
import { messageOf } from "./error-response.ts";
import { ServerFaultError, UpstreamError } from "./gateway-errors.ts";
import { gatewayErrorOf } from "./upstream-errors.ts";

/** The connection broke after the headers and before any of the answer: a connection failure, worth a fallback. */
export class StreamBrokeBeforeAnswerError extends UpstreamError {
  readonly isRetryable = true;
  constructor(provider: string, cause: unknown) {
    super(502, `${provider}'s stream broke off before its answer began: ${messageOf(cause)}`, {
      code: "upstream_stream_broken",
    });
  }
}

// Parts a provider sends before any of the answer: nothing of them reaches the client on their own.
const preamble = new Set<LanguageModelV3StreamPart["type"]>(["stream-start", "response-metadata", "raw"]);

/**
 * Reads a stream up to its first part of the answer, so a stream that fails before any (a connection dropped after
 * the headers) fails like a call that never answered: the gateway may still take it to a fallback. The parts read
 * are given again, in order, at the head of the stream returned.
 */
export async function readToFirstAnswerPart(
  stream: ReadableStream<LanguageModelV3StreamPart>,
  provider: string,
): Promise<ReadableStream<LanguageModelV3StreamPart>> {
  const reader = stream.getReader();
  const read: LanguageModelV3StreamPart[] = [];
  let done = false;
  while (true) {
    const next = await reader.read().catch((error: unknown) => {
      throw new StreamBrokeBeforeAnswerError(provider, error);
    });
    if (next.done) {
      done = true;
      break;
    }
    if (next.value.type === "error") {
      await reader.cancel().catch(() => {});
      // A provider's own error (a status in the stream) stays itself; anything else broke the connection.
      const error = next.value.error;
      throw gatewayErrorOf(error, provider) instanceof ServerFaultError
        ? new StreamBrokeBeforeAnswerError(provider, error)
        : error;
    }
    read.push(next.value);
    if (!preamble.has(next.value.type)) break;
  }
  return new ReadableStream<LanguageModelV3StreamPart>({
    start(controller) {
      for (const part of read) controller.enqueue(part);
      if (done) controller.close();
    },
    async pull(controller) {
      const next = await reader.read();
      if (next.done) controller.close();
      else controller.enqueue(next.value);
    },
    cancel: (reason) => reader.cancel(reason),
  });
}
