/** Where a server-sent event stream is written: a Node response, or a web ReadableStream for in-memory use. */
export interface EventStreamSink {
  /** Sends text; false when the client is behind, and the writer should wait for `drained()`. */
  write(text: string): boolean;
  /** Resolves when the client can take more, or has left. */
  drained(): Promise<void>;
  /** Sends the last text and ends the response. */
  end(text: string): void;
  /** Called once if the client goes away before the end. */
  onClientLeft(listener: () => void): void;
}
