import type { LanguageModelV3StreamPart, LanguageModelV3Usage } from "@ai-sdk/provider";
import type { ChatCompletionChunks } from "./chat-completion-chunks.ts";
import { openAiErrorBody } from "./error-response.ts";
import { openAiFinishReason } from "./finish-reason.ts";
import type { OpenAiUsage } from "./openai-usage.ts";
import { streamErrorOf } from "./upstream-errors.ts";

const encoder = new TextEncoder();
const notReady = Symbol("not ready");
const frame = (json: string) => `data: ${json}\n\n`;

type PartRead = Awaited<ReturnType<ReadableStreamDefaultReader<LanguageModelV3StreamPart>["read"]>>;

/** What was sent to the client, for billing when the upstream's usage never comes. */
export interface StreamedOutput {
  outputBytes: number;
  reasoningBytes: number;
  deltas: number;
}

/** How the stream ended: with the upstream's usage, or cut short (client left, upstream broke). */
export type StreamEnding =
  | { kind: "finished"; usage: LanguageModelV3Usage; streamed: StreamedOutput }
  | { kind: "cut"; streamed: StreamedOutput };

export interface ChatCompletionStreamOptions {
  parts: ReadableStream<LanguageModelV3StreamPart>;
  chunks: ChatCompletionChunks;
  includeUsage: boolean;
  /** Bills the call once, however it ended, and returns the usage to report. */
  bill(ending: StreamEnding): OpenAiUsage;
  /** Stops the upstream call (the client went away). */
  abortUpstream(): void;
  provider: string;
}

/**
 * Provider stream parts as OpenAI SSE chunks: text as `content`, reasoning as `reasoning_content`, tool calls as
 * indexed deltas, then the finish chunk, the usage chunk when asked for, and `[DONE]`. Pull-driven, so a slow
 * client slows the upstream read instead of buffering. If the client leaves, the upstream call is aborted and
 * what was streamed is billed.
 */
export function chatCompletionStream(options: ChatCompletionStreamOptions): ReadableStream<Uint8Array> {
  const { chunks } = options;
  const reader = options.parts.getReader();
  const streamed: StreamedOutput = { outputBytes: 0, reasoningBytes: 0, deltas: 0 };
  const toolIndexes = new Map<string, number>();
  let ended = false;
  // A read still pending when a batch was sent; the next pull continues with it.
  let pendingRead: Promise<PartRead> | undefined;

  const end = (controller: ReadableStreamDefaultController<Uint8Array>, text: string) => {
    ended = true;
    if (text !== "") controller.enqueue(encoder.encode(text));
    controller.close();
  };

  /** The frames that close a stream the upstream did not finish: an error event, and the usage when asked for. */
  const cutShortFrames = (error: unknown): string => {
    const usage = options.bill({ kind: "cut", streamed });
    reader.cancel().catch(() => {});
    const body = openAiErrorBody(streamErrorOf(error, options.provider));
    return frame(JSON.stringify(body)) + (options.includeUsage ? frame(chunks.usage(usage)) : "");
  };

  const deltaOf = (part: LanguageModelV3StreamPart): Record<string, unknown> | undefined => {
    switch (part.type) {
      case "text-delta":
        if (part.delta === "") return undefined;
        streamed.deltas++;
        streamed.outputBytes += Buffer.byteLength(part.delta);
        return { content: part.delta };
      case "reasoning-delta":
        if (part.delta === "") return undefined;
        streamed.deltas++;
        streamed.reasoningBytes += Buffer.byteLength(part.delta);
        return { reasoning_content: part.delta };
      case "tool-input-start": {
        const index = toolIndexes.size;
        toolIndexes.set(part.id, index);
        return {
          tool_calls: [{ index, id: part.id, type: "function", function: { name: part.toolName, arguments: "" } }],
        };
      }
      case "tool-input-delta": {
        const index = toolIndexes.get(part.id);
        if (index === undefined || part.delta === "") return undefined;
        streamed.deltas++;
        streamed.outputBytes += Buffer.byteLength(part.delta);
        return { tool_calls: [{ index, function: { arguments: part.delta } }] };
      }
      case "tool-call": {
        // Providers that stream no tool input send the whole call here; one already streamed is not sent twice.
        if (toolIndexes.has(part.toolCallId)) return undefined;
        const index = toolIndexes.size;
        toolIndexes.set(part.toolCallId, index);
        streamed.deltas++;
        streamed.outputBytes += Buffer.byteLength(part.input);
        const call = { name: part.toolName, arguments: part.input };
        return { tool_calls: [{ index, id: part.toolCallId, type: "function", function: call }] };
      }
      default:
        return undefined;
    }
  };

  return new ReadableStream<Uint8Array>({
    start(controller) {
      controller.enqueue(encoder.encode(frame(chunks.delta({ role: "assistant", content: "" }))));
    },
    // Sends every part already at hand as one write: a burst of tokens costs one socket write, not one each.
    async pull(controller) {
      let batch = "";
      let turnEnds: Promise<typeof notReady> | undefined;
      while (!ended) {
        const read = pendingRead ?? reader.read();
        pendingRead = undefined;
        let next: PartRead | typeof notReady;
        try {
          if (batch === "") next = await read;
          else {
            turnEnds ??= new Promise((resolve) => setImmediate(resolve, notReady));
            next = await Promise.race([read, turnEnds]);
          }
        } catch (error) {
          if (!ended) end(controller, batch + cutShortFrames(error));
          return;
        }
        if (ended) return;
        if (next === notReady) {
          pendingRead = read;
          break;
        }
        if (next.done)
          return end(
            controller,
            batch + cutShortFrames(new Error(`${options.provider} ended the stream without finishing`)),
          );
        const part = next.value;
        if (part.type === "error") return end(controller, batch + cutShortFrames(part.error));
        if (part.type === "finish") {
          const usage = options.bill({ kind: "finished", usage: part.usage, streamed });
          reader.cancel().catch(() => {});
          batch += frame(chunks.delta({}, openAiFinishReason(part.finishReason)));
          if (options.includeUsage) batch += frame(chunks.usage(usage));
          return end(controller, `${batch}data: [DONE]\n\n`);
        }
        const delta = deltaOf(part);
        if (delta) batch += frame(chunks.delta(delta));
      }
      if (batch !== "") controller.enqueue(encoder.encode(batch));
    },
    cancel() {
      if (ended) return;
      ended = true;
      options.abortUpstream();
      reader.cancel().catch(() => {});
      options.bill({ kind: "cut", streamed });
    },
  });
}
