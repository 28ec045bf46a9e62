import type { EventStreamSink } from "./event-stream-sink.ts";

const encoder = new TextEncoder();

/**
 * A sink read as a web ReadableStream, for answers that are not written to a Node response (`app.request`,
 * other runtimes). The writer waits while a chunk is unread, so a slow reader slows the upstream read.
 */
export function webStreamSink(): { stream: ReadableStream<Uint8Array>; sink: EventStreamSink } {
  let controller!: ReadableStreamDefaultController<Uint8Array>;
  let open = true;
  let waiting: Promise<void> | undefined;
  let wake: (() => void) | undefined;
  let clientLeft: (() => void) | undefined;
  const wakeWriter = () => {
    wake?.();
    wake = undefined;
    waiting = undefined;
  };
  const stream = new ReadableStream<Uint8Array>({
    start(streamController) {
      controller = streamController;
    },
    pull: wakeWriter,
    cancel() {
      if (!open) return;
      open = false;
      wakeWriter();
      clientLeft?.();
    },
  });
  const sink: EventStreamSink = {
    write(text) {
      if (!open) return true;
      controller.enqueue(encoder.encode(text));
      return (controller.desiredSize ?? 0) > 0;
    },
    drained() {
      if (!open) return Promise.resolve();
      waiting ??= new Promise((resolve) => (wake = resolve));
      return waiting;
    },
    end(text) {
      if (!open) return;
      open = false;
      if (text !== "") controller.enqueue(encoder.encode(text));
      controller.close();
    },
    onClientLeft(listener) {
      clientLeft = listener;
    },
  };
  return { stream, sink };
}
