/** One server-sent event as a client sees it. */
export interface ServerSentEvent {
  id: string | undefined;
  event: string | undefined;
  data: string;
}

/** Reads SSE events from a fetch response one at a time, as a browser's EventSource would. */
export class SseReader {
  private readonly reader: ReadableStreamDefaultReader<Uint8Array>;
  private readonly decoder = new TextDecoder();
  private buffer = "";

  constructor(response: Response) {
    if (!response.body) throw new Error("the response has no body");
    this.reader = response.body.getReader();
  }

  /** The next event, or undefined when the stream ended. Comments (keep-alives) are skipped. */
  async next(): Promise<ServerSentEvent | undefined> {
    while (true) {
      const end = this.buffer.indexOf("\n\n");
      if (end >= 0) {
        const block = this.buffer.slice(0, end);
        this.buffer = this.buffer.slice(end + 2);
        const event: ServerSentEvent = { id: undefined, event: undefined, data: "" };
        let hasData = false;
        for (const line of block.split("\n")) {
          if (line.startsWith(":")) continue;
          const colon = line.indexOf(":");
          const field = colon < 0 ? line : line.slice(0, colon);
          const value = colon < 0 ? "" : line.slice(colon + 1).replace(/^ /, "");
          if (field === "id") event.id = value;
          else if (field === "event") event.event = value;
          else if (field === "data") {
            event.data = hasData ? `${event.data}\n${value}` : value;
            hasData = true;
          }
        }
        if (hasData) return event;
        continue;
      }
      const { value, done } = await this.reader.read();
      if (done) return undefined;
      this.buffer += this.decoder.decode(value, { stream: true });
    }
  }

  /** Reads events until one matches, returning every event read (the match last). */
  async until(match: (event: ServerSentEvent) => boolean): Promise<ServerSentEvent[]> {
    const events: ServerSentEvent[] = [];
    while (true) {
      const event = await this.next();
      if (!event)
        throw new Error(`the stream ended before the awaited event; got ${events.map((e) => e.event).join(", ")}`);
      events.push(event);
      if (match(event)) return events;
    }
  }

  /** Every event to the end of the stream. */
  async rest(): Promise<ServerSentEvent[]> {
    const events: ServerSentEvent[] = [];
    for (let event = await this.next(); event; event = await this.next()) events.push(event);
    return events;
  }

  async close(): Promise<void> {
    await this.reader.cancel().catch(() => {});
  }
}
