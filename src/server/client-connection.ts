import type { ServerResponse } from "node:http";

/** The caller's side of a request: whether the client went away before its answer ended. */
export interface ClientConnection {
  readonly left: boolean;
  /** Calls `listener` once if the client leaves; the returned function stops listening. */
  onLeave(listener: () => void): () => void;
}

/** A client seen through the web request's abort signal (in memory, or any fetch-style server). */
export function signalConnection(signal: AbortSignal | undefined): ClientConnection {
  return {
    get left() {
      return signal?.aborted === true;
    },
    onLeave(listener) {
      signal?.addEventListener("abort", listener, { once: true });
      return () => signal?.removeEventListener("abort", listener);
    },
  };
}

/** A client seen through its Node response: it left if the connection closed before the response finished. */
export function nodeConnection(outgoing: ServerResponse): ClientConnection {
  return {
    get left() {
      return outgoing.destroyed && !outgoing.writableFinished;
    },
    onLeave(listener) {
      const onClose = () => {
        if (!outgoing.writableFinished) listener();
      };
      outgoing.once("close", onClose);
      return () => outgoing.off("close", onClose);
    },
  };
}
