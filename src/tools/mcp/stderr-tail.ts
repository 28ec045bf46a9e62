import type { Stream } from "node:stream";

// Enough for the last few lines of a stack trace, little enough to quote in one error message.
const tailBytes = 2048;

/** The last ~2 KB a stdio server wrote to stderr, quoted when it fails to start or dies. */
export class StderrTail {
  private text = "";

  follow(stream: Stream | null): void {
    stream?.on("data", (chunk: Buffer | string) => {
      this.text = (this.text + chunk.toString()).slice(-tailBytes);
    });
  }

  get value(): string {
    return this.text.trim();
  }

  /** " Its stderr ended with: ..." for an error message, or "" when the server wrote nothing. */
  describe(): string {
    return this.value === "" ? "" : `\nIts stderr ended with:\n${this.value}`;
  }
}
