import { TansuoError } from "../errors/tansuo-error.ts";
import type { Tool, ToolContext } from "./tool.ts";
import type { ToolOutput } from "./tool-output.ts";

// A tool that has no limit of its own is stopped after this long, so a run never hangs on one call.
export const defaultToolTimeoutMilliseconds = 10 * 60_000;
// After an abort, a tool that honours its signal gets this long to return what it has (run_command's output).
const abortGraceMilliseconds = 250;

/** A tool call was stopped (the run was cancelled or interrupted, or the call ran out of time); the text says which. */
export class ToolStoppedError extends TansuoError {
  override readonly name = "ToolStoppedError";
  readonly kind = "tool";
}

const reasonText = (reason: unknown): string =>
  reason instanceof Error ? reason.message : reason === undefined ? "the run was stopped" : String(reason);

/**
 * Runs a tool against the run's abort signal and its time limit. The tool sees both through its signal, but the
 * caller never waits for one that ignores it: the call ends with a ToolStoppedError, and the tool is left behind.
 */
export function executeBounded(tool: Tool, input: unknown, context: ToolContext): Promise<string | ToolOutput> {
  if (context.signal.aborted) {
    return Promise.reject(new ToolStoppedError(`${tool.name} was not started: ${reasonText(context.signal.reason)}.`));
  }
  const limitMilliseconds = tool.timeoutMilliseconds ?? defaultToolTimeoutMilliseconds;
  const timeout = new AbortController();
  const signal = AbortSignal.any([context.signal, timeout.signal]);
  return new Promise<string | ToolOutput>((resolve, reject) => {
    let settled = false;
    let stoppedBecause: string | undefined;
    let graceTimer: NodeJS.Timeout | undefined;
    const settle = (action: () => void) => {
      if (settled) return;
      settled = true;
      clearTimeout(limitTimer);
      clearTimeout(graceTimer);
      signal.removeEventListener("abort", onAbort);
      action();
    };
    const stop = (output?: string | ToolOutput) =>
      settle(() =>
        reject(
          new ToolStoppedError(
            `${tool.name} was stopped before it finished: ${stoppedBecause}. Its effects may be partial.` +
              (output ? `\nWhat it returned when stopped:\n${typeof output === "string" ? output : output.text}` : ""),
          ),
        ),
      );
    const onAbort = () => {
      stoppedBecause ??= reasonText(context.signal.reason);
      graceTimer = setTimeout(() => stop(), abortGraceMilliseconds);
    };
    const limitTimer = setTimeout(() => {
      const limit = limitMilliseconds >= 1000 ? `${Math.round(limitMilliseconds / 1000)} s` : `${limitMilliseconds} ms`;
      stoppedBecause = `it ran longer than its limit of ${limit}`;
      timeout.abort(new Error(stoppedBecause));
    }, limitMilliseconds);
    signal.addEventListener("abort", onAbort, { once: true });
    let running: Promise<string | ToolOutput>;
    try {
      running = Promise.resolve(tool.execute(input, { ...context, signal }));
    } catch (error) {
      running = Promise.reject(error);
    }
    running.then(
      (output) => (stoppedBecause === undefined ? settle(() => resolve(output)) : stop(output)),
      (error: unknown) => (stoppedBecause === undefined ? settle(() => reject(error)) : stop()),
    );
  });
}
