import type { ServerResponse } from "node:http";
import { nodeConnection } from "./client-connection.ts";
import type { EventStreamSink } from "./event-stream-sink.ts";

/**
 * A sink that writes straight to the Node response, with no web stream in between. The status line and headers
 * go out with the first write, so a burst that is at hand at once is one socket write.
 */
export function nodeResponseSink(outgoing: ServerResponse, headers: Record<string, string>): EventStreamSink {
  outgoing.writeHead(200, headers);
  return {
    write: (text) => outgoing.destroyed || outgoing.write(text),
    drained: () =>
      new Promise((resolve) => {
        const done = () => {
          outgoing.off("drain", done);
          outgoing.off("close", done);
          resolve();
        };
        if (outgoing.destroyed) return resolve();
        outgoing.on("drain", done);
        outgoing.on("close", done);
      }),
    end: (text) => {
      if (!outgoing.destroyed) outgoing.end(text);
    },
    onClientLeft(listener) {
      const client = nodeConnection(outgoing);
      // The client may have left while the upstream call was starting.
      if (client.left) queueMicrotask(listener);
      else client.onLeave(listener);
    },
  };
}
