import type { RequestHandlerExtra } from "@modelcontextprotocol/sdk/shared/protocol.js";
import type { ServerNotification, ServerRequest } from "@modelcontextprotocol/sdk/types.js";
import type { RunEvent } from "../../agent/index.ts";
import { type AgentRuntime, cancelRun, executeRun, type NewRunSettings, startRun } from "../../agent/index.ts";
import type { RunRecord } from "../../store/records.ts";

export type ToolCallExtra = RequestHandlerExtra<ServerRequest, ServerNotification>;

/**
 * Starts an ordinary durable run and executes it to its end for one MCP tool call. The client's cancel cancels the
 * run (recorded `cancelled`, as `tansuo cancel` would), and a client that sent a progress token hears of each step.
 * Nobody can answer an approval prompt here: no approver is given, so the run's `approval` setting decides.
 */
export async function handOffRun(
  runtime: AgentRuntime,
  settings: NewRunSettings,
  extra: ToolCallExtra,
  /** The server stopping: the run is interrupted (`failed`, resumable with `tansuo resume`), not cancelled. */
  interrupt?: AbortSignal,
): Promise<RunRecord> {
  const run = await startRun(runtime, settings);
  let cancelling: Promise<unknown> | undefined;
  const onCancel = () => {
    cancelling = cancelRun(runtime, run.id).catch(() => {
      // A run that ended on its own meanwhile keeps its status; nothing is left to cancel.
    });
  };
  if (extra.signal.aborted) onCancel();
  extra.signal.addEventListener("abort", onCancel, { once: true });
  try {
    const finished = await executeRun(runtime, run.id, { signal: interrupt, onEvent: progressReporter(extra) });
    await cancelling;
    return (await runtime.store.getRun(run.id)) ?? finished;
  } finally {
    extra.signal.removeEventListener("abort", onCancel);
  }
}

/** `notifications/progress` once per model call, when the client asked for progress. */
function progressReporter(extra: ToolCallExtra): ((event: RunEvent) => void) | undefined {
  const progressToken = extra._meta?.progressToken;
  if (progressToken === undefined) return undefined;
  return (event) => {
    if (event.type !== "step-started") return;
    extra
      .sendNotification({
        method: "notifications/progress",
        params: { progressToken, progress: event.step + 1, message: `step ${event.step + 1}` },
      })
      .catch(() => {
        // A client that went away misses its progress; the run itself goes on to its end.
      });
  };
}
