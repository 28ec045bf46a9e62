import type { LanguageModelV3StreamPart, LanguageModelV3Usage } from "@ai-sdk/provider";
import type { AnswerStreamWriter, BilledUsage } from "./answer-format.ts";
import type { EventStreamSink } from "./event-stream-sink.ts";
import { TurnBatcher } from "./turn-batcher.ts";
import { streamErrorOf } from "./upstream-errors.ts";

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
  billed: BilledUsage;
  /** Writes the ledger row and ends the call's accounting. */
  record(): Promise<void>;
}

export interface AnswerStreamOptions {
  parts: ReadableStream<LanguageModelV3StreamPart>;
  /** The client API's frames (Chat Completions chunks, Responses events, Messages events). */
  writer: AnswerStreamWriter;
  /** Prices the call once, however it ended. */
  price(ending: StreamEnding): Promise<PricedCall>;
  /** Stops the upstream call (the client went away). */
  abortUpstream(): void;
  provider: string;
}

/**
 * Writes provider stream parts to the sink in the client API's frames, then its closing frames. The parts at hand
 * are sent as one write, and reading waits while the client is behind, so a slow client slows the upstream read.
 * The ledger row is written right after the last write, off the client's wait. If the client leaves, the upstream
 * call is aborted and what was streamed is billed. Resolves when the call is accounted for.
 */
export async function streamAnswer(options: AnswerStreamOptions, sink: EventStreamSink): Promise<void> {
  const { writer } = options;
  const reader = options.parts.getReader();
  const streamed: StreamedOutput = { outputBytes: 0, reasoningBytes: 0, deltas: 0 };
  const streamedToolInputs = new Set<string>();
  const batcher = new TurnBatcher(sink);
  let ended = false;

  /** Sends what is left with the closing frames as the last write, then writes the ledger row. */
  const finish = async (ending: StreamEnding, closingFrames: (billed: BilledUsage) => string) => {
    ended = true;
    reader.cancel().catch(() => {});
    const priced = await options.price(ending);
    sink.end(batcher.takeRest() + closingFrames(priced.billed));
    await priced.record();
  };

  /** Ends a stream the upstream did not finish: the API's error event. */
  const cutShort = (error: unknown) =>
    finish({ kind: "cut", streamed }, (billed) => writer.cut(streamErrorOf(error, options.provider), billed));

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

  // Counted the same whatever the API: what an interrupted answer is billed for.
  const count = (part: LanguageModelV3StreamPart) => {
    if (part.type === "text-delta" || part.type === "tool-input-delta") {
      if (part.type === "tool-input-delta") streamedToolInputs.add(part.id);
      if (part.delta === "") return;
      streamed.deltas++;
      streamed.outputBytes += Buffer.byteLength(part.delta);
    } else if (part.type === "reasoning-delta") {
      if (part.delta === "") return;
      streamed.deltas++;
      streamed.reasoningBytes += Buffer.byteLength(part.delta);
    } else if (part.type === "tool-input-start") {
      streamedToolInputs.add(part.id);
    } else if (part.type === "tool-call" && !streamedToolInputs.has(part.toolCallId)) {
      streamedToolInputs.add(part.toolCallId);
      streamed.deltas++;
      streamed.outputBytes += Buffer.byteLength(part.input);
    }
  };

  // The opening frames go out with whatever else is at hand by the end of this turn.
  batcher.add(writer.opening());
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
      const finishReason = part.finishReason;
      return await finish({ kind: "finished", usage: part.usage, streamed }, (billed) =>
        writer.finished(finishReason, billed),
      );
    }
    count(part);
    const frames = writer.part(part);
    if (frames !== "") batcher.add(frames);
  }
}
