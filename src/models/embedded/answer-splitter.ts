import type { LanguageModelV3StreamPart } from "@ai-sdk/provider";

export interface FinishedCall {
  toolCallId: string;
  toolName: string;
  /** The arguments exactly as the model wrote them: JSON text of an object. */
  input: string;
}

// The start of a call as the grammar allows it: {"name": "<tool>", "arguments": <input... (read once the input begins).
const callHeader = /^\{\s*"name"\s*:\s*("(?:[^"\\]|\\.)*")\s*,\s*"arguments"\s*:\s*(?=\S)/;
// Held back while streaming: it may be the closing brace of the envelope rather than of the arguments.
const possibleEnvelopeEnd = /\s*\}?\s*$/;

/**
 * Turns generated text into stream parts as it arrives. When calls are allowed, an answer whose first
 * non-blank character is "{" is a tool call (the grammar makes every text answer start otherwise), and its
 * arguments stream as tool-input deltas; anything else is text. Leading blanks are dropped.
 */
export class AnswerSplitter {
  private mode: "undecided" | "text" | "call" = "undecided";
  private leading = "";
  private callText = "";
  private toolName: string | undefined;
  private argumentsStart = 0;
  private emittedArgumentsLength = 0;
  private reasoningOpen = false;
  private reasoningCount = 0;

  constructor(
    private readonly callsAllowed: boolean,
    private readonly toolCallId: string,
    private readonly emit: (part: LanguageModelV3StreamPart) => void,
  ) {}

  reasoning(delta: string): void {
    if (delta === "") return;
    if (!this.reasoningOpen) {
      this.reasoningOpen = true;
      this.emit({ type: "reasoning-start", id: this.reasoningId() });
    }
    this.emit({ type: "reasoning-delta", id: this.reasoningId(), delta });
  }

  text(delta: string): void {
    if (delta === "") return;
    this.closeReasoning();
    if (this.mode === "text") {
      this.emit({ type: "text-delta", id: "text-0", delta });
      return;
    }
    if (this.mode === "call") {
      this.callText += delta;
      this.streamCall();
      return;
    }
    this.leading += delta;
    const start = this.leading.trimStart();
    if (start === "") return;
    if (this.callsAllowed && start.startsWith("{")) {
      this.mode = "call";
      this.callText = start;
      this.streamCall();
    } else {
      this.mode = "text";
      this.emit({ type: "text-start", id: "text-0" });
      this.emit({ type: "text-delta", id: "text-0", delta: start });
    }
  }

  /** Closes open parts; returns the tool call when a complete one was written. */
  finish(): FinishedCall | undefined {
    this.closeReasoning();
    if (this.mode === "text") this.emit({ type: "text-end", id: "text-0" });
    if (this.mode !== "call" || this.toolName === undefined) return undefined;
    const closing = this.callText.lastIndexOf("}");
    const input = this.callText.slice(this.argumentsStart, closing).trimEnd();
    const complete = closing > this.argumentsStart && isJson(this.callText);
    if (complete && input.length > this.emittedArgumentsLength) {
      this.emit({ type: "tool-input-delta", id: this.toolCallId, delta: input.slice(this.emittedArgumentsLength) });
    }
    this.emit({ type: "tool-input-end", id: this.toolCallId });
    return complete ? { toolCallId: this.toolCallId, toolName: this.toolName, input } : undefined;
  }

  private streamCall(): void {
    if (this.toolName === undefined) {
      const header = callHeader.exec(this.callText);
      if (!header?.[1]) return;
      this.toolName = JSON.parse(header[1]) as string;
      this.argumentsStart = header[0].length;
      this.emit({ type: "tool-input-start", id: this.toolCallId, toolName: this.toolName });
    }
    const written = this.callText.slice(this.argumentsStart);
    const releasable = possibleEnvelopeEnd.exec(written)?.index ?? written.length;
    if (releasable <= this.emittedArgumentsLength) return;
    this.emit({
      type: "tool-input-delta",
      id: this.toolCallId,
      delta: written.slice(this.emittedArgumentsLength, releasable),
    });
    this.emittedArgumentsLength = releasable;
  }

  private closeReasoning(): void {
    if (!this.reasoningOpen) return;
    this.reasoningOpen = false;
    this.emit({ type: "reasoning-end", id: this.reasoningId() });
    this.reasoningCount += 1;
  }

  private reasoningId(): string {
    return `reasoning-${this.reasoningCount}`;
  }
}

function isJson(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}
