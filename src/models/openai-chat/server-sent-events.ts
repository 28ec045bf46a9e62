/**
 * Splits a text/event-stream body into `data:` payloads as its bytes arrive: `push` takes each chunk and returns
 * the events it completed, synchronously, so a burst of events costs no await each. Comment lines (DeepSeek's
 * `: keep-alive`) and blank keep-alive lines carry no data and are skipped.
 */
export class ServerSentEventParser {
  private readonly decoder = new TextDecoder();
  private buffer = "";
  private dataLines: string[] = [];

  push(chunk: Uint8Array): string[] {
    this.buffer += this.decoder.decode(chunk, { stream: true });
    const events: string[] = [];
    let start = 0;
    let newline = this.buffer.indexOf("\n");
    while (newline >= 0) {
      const end = newline > start && this.buffer.charCodeAt(newline - 1) === 13 ? newline - 1 : newline;
      this.acceptLine(this.buffer.slice(start, end), events);
      start = newline + 1;
      newline = this.buffer.indexOf("\n", start);
    }
    this.buffer = this.buffer.slice(start);
    return events;
  }

  /** The last event, when the body ends without the blank line that closes it. */
  end(): string[] {
    const events: string[] = [];
    this.buffer += this.decoder.decode();
    // A body may end on "data: [DONE]\r" with no newline: the carriage return is part of the line ending.
    const last = this.buffer.endsWith("\r") ? this.buffer.slice(0, -1) : this.buffer;
    if (last.startsWith("data:")) this.dataLines.push(dataOf(last));
    this.buffer = "";
    if (this.dataLines.length > 0) events.push(this.dataLines.join("\n"));
    this.dataLines = [];
    return events;
  }

  private acceptLine(line: string, events: string[]): void {
    if (line === "") {
      if (this.dataLines.length === 1) events.push(this.dataLines[0]!);
      else if (this.dataLines.length > 1) events.push(this.dataLines.join("\n"));
      this.dataLines = [];
    } else if (line.startsWith("data:")) {
      this.dataLines.push(dataOf(line));
    }
  }
}

const dataOf = (line: string): string => (line.charCodeAt(5) === 32 ? line.slice(6) : line.slice(5));
