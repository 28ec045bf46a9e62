import { createInterface } from "node:readline/promises";
import { type ApprovalAnswer, type Approver, executeRun } from "../../agent/index.ts";
import type { RunRecord } from "../../store/records.ts";
import type { CliContext } from "../cli-context.ts";
import { shorten } from "../format.ts";
import { RunProgressView } from "../render/run-progress-view.ts";

/**
 * Executes a run with the live view, asking on the terminal when a person is there: the policy decides which calls
 * are asked about (under `auto` and `deny`, only calls a crash interrupted, which no policy may re-run).
 */
export async function driveRun(context: CliContext, runId: string, options: { json: boolean }): Promise<RunRecord> {
  const runtime = context.runtime();
  const run = await runtime.store.getRun(runId);
  const view = new RunProgressView(context.stderr, context.isTerminal && !options.json);
  if (context.isTerminal && !options.json) context.stderr.write(`run ${runId}\n`);
  const stdinIsTerminal = (context.stdin as NodeJS.ReadStream).isTTY === true;
  const approver: Approver | undefined =
    run && context.isTerminal && stdinIsTerminal
      ? async (request) => {
          view.pause();
          const prompt = createInterface({ input: context.stdin, output: context.stderr });
          const what = request.interrupted ? "Re-run interrupted" : "Allow";
          const answer = await prompt.question(
            `${what} ${request.toolName} ${shorten(request.input, 70)}? [y]es, [n]o, [a]lways for this run: `,
          );
          prompt.close();
          view.resume();
          return parseAnswer(answer);
        }
      : undefined;
  const abort = new AbortController();
  const onInterrupt = () => abort.abort(new Error("interrupted"));
  process.once("SIGINT", onInterrupt);
  try {
    return await executeRun(runtime, runId, {
      signal: abort.signal,
      onEvent: (event) => view.handle(event),
      approver,
    });
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
