import { createInterface } from "node:readline";
import { createInterface as createPrompt } from "node:readline/promises";
import type { CliContext } from "../cli-context.ts";

/**
 * Where a chat session's lines come from. Between turns a line is the next message; while a turn works, a line that
 * arrives with no message already waiting steers the turn instead (a slash command always waits for the turn's end).
 */
export interface ChatInput {
  /** The next message or command; undefined at the end of input. */
  next(): Promise<string | undefined>;
  /** Runs a turn; lines that arrive meanwhile go to `steer`, except while `holding` (an approval asks). */
  whileWorking<T>(steer: (line: string) => void, work: (holding: InputHold) => Promise<T>): Promise<T>;
  close(): void;
}

// A line steers a working turn only when no message waits before it; a /command always waits for the turn's end.
const steers = (line: string, waiting: readonly string[]): boolean =>
  waiting.length === 0 && !line.trim().startsWith("/") && line.trim() !== "";

/** Lets the approver have the terminal to itself: its answer must not be taken for a steering message. */
export interface InputHold {
  hold(): void;
  release(): void;
}

/**
 * Lines from a pipe: one reader for the whole session. Lines that came in one chunk with a message wait as the next
 * messages (a script's lines stay messages); a line written later, while a turn works, steers it.
 */
export function pipedChatInput(context: CliContext): ChatInput {
  const lines = createInterface({ input: context.stdin, crlfDelay: Number.POSITIVE_INFINITY });
  const waiting: string[] = [];
  let ended = false;
  let wake: (() => void) | undefined;
  let steering: ((line: string) => void) | undefined;
  lines.on("line", (line) => {
    if (steering && steers(line, waiting)) steering(line);
    else waiting.push(line);
    wake?.();
  });
  lines.on("close", () => {
    ended = true;
    wake?.();
  });
  return {
    async next() {
      while (waiting.length === 0 && !ended) await new Promise<void>((resolve) => (wake = resolve));
      wake = undefined;
      return waiting.shift();
    },
    async whileWorking(steer, work) {
      steering = steer;
      try {
        return await work({ hold: () => undefined, release: () => undefined });
      } finally {
        steering = undefined;
      }
    },
    close: () => lines.close(),
  };
}

/**
 * Lines from a terminal: a prompt between turns (Ctrl-C there ends the session); while a turn works, a plain line
 * reader without raw mode, so Ctrl-C still reaches the process as SIGINT and stops the step.
 */
export function terminalChatInput(context: CliContext, banner: string): ChatInput {
  const waiting: string[] = [];
  context.stderr.write(banner);
  return {
    async next() {
      if (waiting.length > 0) return waiting.shift();
      // A prompt per line, closed while the run works: the approver asks on the same terminal.
      const prompt = createPrompt({ input: context.stdin, output: context.stderr });
      const line = await new Promise<string | undefined>((resolve) => {
        prompt.once("close", () => resolve(undefined));
        prompt.once("SIGINT", () => prompt.close());
        prompt.question("› ").then(resolve, () => resolve(undefined));
      });
      prompt.close();
      return line;
    },
    async whileWorking(steer, work) {
      let reader: ReturnType<typeof createInterface> | undefined;
      const listen = () => {
        reader = createInterface({ input: context.stdin, terminal: false });
        reader.on("line", (line) => {
          if (steers(line, waiting)) steer(line);
          else if (line.trim() !== "") waiting.push(line);
        });
      };
      const stop = () => {
        reader?.close();
        reader = undefined;
      };
      listen();
      try {
        return await work({ hold: stop, release: listen });
      } finally {
        stop();
      }
    },
    close: () => undefined,
  };
}
