import { completionBody } from "./completion-body.ts";
import { newEnvelope } from "./envelope.ts";
import { resolveCompletion } from "./resolved-completion.ts";
import { type Exchange, isOpen, sendJson, sleep, writeHead } from "./send.ts";
import { streamChunks } from "./stream-chunks.ts";
import type { TokenCounter } from "./token-count.ts";
import type { ScriptedCompletion } from "./types.ts";

const keepAliveIntervalMs = 10;

/** Answers a valid chat request with a scripted completion, streaming it when the request asked to. */
export async function answerCompletion(
  exchange: Exchange,
  reply: ScriptedCompletion,
  request: Record<string, unknown>,
  /** Cache hits to report when the reply scripts none (the server's `prefixCache`). */
  cachedTokens?: number,
  /** Counts tokens with DeepSeek's tokenizer (the server's `countTokens`); else they are estimated. */
  counter?: TokenCounter,
): Promise<void> {
  const completion = resolveCompletion(reply, request, cachedTokens, counter);
  const envelope = newEnvelope(request.model);
  const keepAlives = reply.keepAlives ?? 0;

  if (request.stream !== true) {
    const body = completionBody(completion, envelope);
    if (keepAlives === 0 && reply.destroyAfterChunks === undefined) return sendJson(exchange, 200, body);
    writeHead(exchange, 200, { "content-type": "application/json" });
    // DeepSeek keeps a busy non-streaming request open by sending blank lines before the body.
    for (let sent = 0; sent < keepAlives && isOpen(exchange); sent++) {
      exchange.response.write("\n");
      await sleep(keepAliveIntervalMs);
    }
    // A plain body counts as one chunk, so `destroyAfterChunks: 0` drops the connection instead of answering.
    if (reply.destroyAfterChunks === 0) return exchange.dropConnection();
    if (isOpen(exchange)) exchange.response.end(JSON.stringify(body));
    return;
  }

  const streamOptions = request.stream_options as { include_usage?: unknown } | undefined;
  const frames = streamChunks(completion, envelope, streamOptions?.include_usage === true).map(
    (chunk) => `data: ${JSON.stringify(chunk)}\n\n`,
  );
  frames.push("data: [DONE]\n\n");
  writeHead(exchange, 200, {
    "content-type": "text/event-stream; charset=utf-8",
    "cache-control": "no-cache",
    connection: "keep-alive",
  });
  exchange.response.flushHeaders();
  for (let sent = 0; sent < keepAlives && isOpen(exchange); sent++) {
    exchange.response.write(": keep-alive\n\n");
    await sleep(keepAliveIntervalMs);
  }
  for (const [index, frame] of frames.entries()) {
    if (index > 0 && reply.chunkDelayMs) await sleep(reply.chunkDelayMs);
    if (!isOpen(exchange)) return;
    if (index === reply.destroyAfterChunks) return exchange.dropConnection();
    exchange.response.write(frame);
  }
  exchange.response.end();
}
