import type { RunEvent } from "../../agent/index.ts";
import { terminalSafe } from "../format.ts";

/**
 * A chat answer as it comes: text on stdout, reasoning dimmed on stderr, each delta written at once. Model text may
 * hold terminal escape sequences; they are shown, not obeyed.
 */
export class ChatAnswerView {
  private writing: "text" | "reasoning" | undefined;

  constructor(
    private readonly stdout: NodeJS.WritableStream,
    private readonly stderr: NodeJS.WritableStream,
  ) {}

  handle(event: RunEvent): void {
    if (event.type === "text-delta") this.write("text", event.text);
    else if (event.type === "reasoning-delta") this.write("reasoning", event.text);
    else if (event.type === "step-started" || event.type === "tool-call") this.endLine();
  }

  /** Ends the answer's last line, if one is open. */
  endLine(): void {
    if (this.writing === "text") this.stdout.write("\n");
    if (this.writing === "reasoning") this.stderr.write("\x1b[0m\n");
    this.writing = undefined;
  }

  private write(kind: "text" | "reasoning", text: string): void {
    if (this.writing !== kind) {
      this.endLine();
      if (kind === "reasoning") this.stderr.write("\x1b[2m");
      this.writing = kind;
    }
    (kind === "text" ? this.stdout : this.stderr).write(terminalSafe(text));
  }
}
