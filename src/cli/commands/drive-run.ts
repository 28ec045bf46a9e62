import { createInterface } from "node:readline/promises";
import {
  type ApprovalAnswer,
  type Approver,
  continueRun,
  executeRun,
  type RunEventListener,
} from "../../agent/index.ts";
import type { RunRecord } from "../../store/records.ts";
import type { CliContext } from "../cli-context.ts";
import { shorten } from "../format.ts";
import { RunProgressView } from "../render/run-progress-view.ts";
import type { InputHold } from "./chat-input.ts";

export interface DriveRunOptions {
  json: boolean;
  /** A person's message that continues the finished run (chat, `run --continue`). */
  message?: string;
  /** No run id line and no redrawn status line (chat streams the answer itself and prints the id once). */
  quiet?: boolean;
  /** Gets every event too, after the progress view. */
  onEvent?: RunEventListener;
  /** Background jobs outlive this execution (chat ends them when it exits). */
  keepJobs?: boolean;
  /** Chat's steering reader, stopped while an approval asks so the answer is not taken for a message. */
  input?: InputHold;
}

/**
 * Executes a run with the live view, asking on the terminal when a person is there: the policy decides which calls
 * are asked about (under `auto` and `deny`, only calls a crash interrupted, which no policy may re-run).
 */
export async function driveRun(context: CliContext, runId: string, options: DriveRunOptions): Promise<RunRecord> {
  const runtime = context.runtime();
  const run = await runtime.store.getRun(runId);
  const view = new RunProgressView(context.stderr, context.isTerminal && !options.json && !options.quiet);
  if (context.isTerminal && !options.json && !options.quiet) context.stderr.write(`run ${runId}\n`);
  const stdinIsTerminal = (context.stdin as NodeJS.ReadStream).isTTY === true;
  const approver: Approver | undefined =
    run && context.isTerminal && stdinIsTerminal
      ? async (request) => {
          view.pause();
          options.input?.hold();
          const prompt = createInterface({ input: context.stdin, output: context.stderr });
          const what = request.interrupted ? "Re-run interrupted" : "Allow";
          try {
            const answer = await prompt.question(
              `${what} ${request.toolName} ${shorten(request.input, 70)}? [y]es, [n]o, [a]lways for this run: `,
            );
            return parseAnswer(answer);
          } finally {
            prompt.close();
            options.input?.release();
            view.resume();
          }
        }
      : undefined;
  const abort = new AbortController();
  const onInterrupt = () => abort.abort(new Error("interrupted"));
  process.once("SIGINT", onInterrupt);
  try {
    const onEvent: RunEventListener = (event) => {
      view.handle(event);
      options.onEvent?.(event);
    };
    const executeOptions = { signal: abort.signal, onEvent, approver, keepJobs: options.keepJobs };
    // A message continues a finished run (chat, `run --continue`): stored first, then the same loop.
    return options.message === undefined
      ? await executeRun(runtime, runId, executeOptions)
      : await continueRun(runtime, runId, options.message, executeOptions);
  } finally {
    process.off("SIGINT", onInterrupt);
    view.stop();
  }
}

function parseAnswer(answer: string): ApprovalAnswer {
  const normalized = answer.trim().toLowerCase();
  if (normalized.startsWith("a")) return "always";
  if (normalized.startsWith("y")) return "approve";
  return "deny";
}
