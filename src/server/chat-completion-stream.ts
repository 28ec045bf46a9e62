import type { LanguageModelV3StreamPart, LanguageModelV3Usage } from "@ai-sdk/provider";
import type { ChatCompletionChunks } from "./chat-completion-chunks.ts";
import { openAiErrorBody } from "./error-response.ts";
import type { EventStreamSink } from "./event-stream-sink.ts";
import { openAiFinishReason } from "./finish-reason.ts";
import type { OpenAiUsage } from "./openai-usage.ts";
import { TurnBatcher } from "./turn-batcher.ts";
import { streamErrorOf } from "./upstream-errors.ts";

const frame = (json: string) => `data: ${json}\n\n`;
const doneFrame = "data: [DONE]\n\n";

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

/** A priced call: the usage to report, and the ledger write, made once the answer is out. */
export interface PricedCall {
  usage: OpenAiUsage;
  /** Writes the ledger row and ends the call's accounting. */
  record(): Promise<void>;
}

export interface ChatCompletionStreamOptions {
  parts: ReadableStream<LanguageModelV3StreamPart>;
  chunks: ChatCompletionChunks;
  includeUsage: boolean;
  /** Prices the call once, however it ended. */
  price(ending: StreamEnding): Promise<PricedCall>;
  /** Stops the upstream call (the client went away). */
  abortUpstream(): void;
  provider: string;
}

/**
 * Writes provider stream parts to the sink as OpenAI SSE chunks: text as `content`, reasoning as
 * `reasoning_content`, tool calls as indexed deltas, then the finish chunk, the usage chunk when asked for, and
 * `[DONE]`. The parts at hand are sent as one write, and reading waits while the client is behind, so a slow
 * client slows the upstream read. The ledger row is written right after the last write, off the client's wait.
 * If the client leaves, the upstream call is aborted and what was streamed is billed. Resolves when the call is
 * accounted for.
 */
export async function streamChatCompletion(options: ChatCompletionStreamOptions, sink: EventStreamSink): Promise<void> {
  const { chunks } = options;
  const reader = options.parts.getReader();
  const streamed: StreamedOutput = { outputBytes: 0, reasoningBytes: 0, deltas: 0 };
  const toolIndexes = new Map<string, number>();
  const batcher = new TurnBatcher(sink);
  let ended = false;

  /** Sends what is left with the closing frames as the last write, then writes the ledger row. */
  const finish = async (ending: StreamEnding, closingFrames: (usage: OpenAiUsage) => string) => {
    ended = true;
    reader.cancel().catch(() => {});
    const priced = await options.price(ending);
    sink.end(batcher.takeRest() + closingFrames(priced.usage));
    await priced.record();
  };

  /** Ends a stream the upstream did not finish: an error event, and the usage when asked for. */
  const cutShort = (error: unknown) =>
    finish(
      { kind: "cut", streamed },
      (usage) =>
        frame(JSON.stringify(openAiErrorBody(streamErrorOf(error, options.provider)))) +
        (options.includeUsage ? frame(chunks.usage(usage)) : ""),
    );

  sink.onClientLeft(() => {
    if (ended) return;
    ended = true;
    batcher.takeRest();
    options.abortUpstream();
    reader.cancel().catch(() => {});
    // Nobody waits for this write: a failure is the ledger's to report, never the client's (it is gone).
    options
      .price({ kind: "cut", streamed })
      .then((priced) => priced.record())
      .catch(() => {});
  });

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

  // The role chunk goes out with whatever else is at hand by the end of this turn.
  batcher.add(frame(chunks.delta({ role: "assistant", content: "" })));
  while (!ended) {
    const clientBehind = batcher.waitForClient();
    if (clientBehind) {
      await clientBehind;
      if (ended) return;
    }
    let next: PartRead;
    try {
      next = await reader.read();
    } catch (error) {
      if (!ended) await cutShort(error);
      return;
    }
    if (ended) return;
    if (next.done) return await cutShort(new Error(`${options.provider} ended the stream without finishing`));
    const part = next.value;
    if (part.type === "error") return await cutShort(part.error);
    if (part.type === "finish") {
      const finishChunk = frame(chunks.delta({}, openAiFinishReason(part.finishReason)));
      return await finish(
        { kind: "finished", usage: part.usage, streamed },
        (usage) => finishChunk + (options.includeUsage ? frame(chunks.usage(usage)) : "") + doneFrame,
      );
    }
    const delta = deltaOf(part);
    if (delta) batcher.add(frame(chunks.delta(delta)));
  }
}
