import { randomUUID } from "node:crypto";
import type { FileCheckpoint } from "../../store/checkpoint-records.ts";
import { leaseIsClaimable } from "../../store/claimable-lease.ts";
import type { Store } from "../../store/store.ts";
import { Workspace } from "../../tools/workspace.ts";
import { RunStateError } from "../agent-errors.ts";
import type { RunEvent } from "../run-events.ts";
import { type RestoreOutcome, type RestoreTarget, restoreFiles } from "./restore-files.ts";

export interface UndoOutcome extends RestoreOutcome {
  toStep: number;
  /** run_command calls made at or after the point: shell side effects that undo cannot take back. */
  commands: string[];
}

export interface UndoOptions {
  /** Restore to before this step's tool calls (default 0: the run's start). */
  toStep?: number;
  force?: boolean;
  hiddenPaths?: readonly string[];
}

async function workspaceOfIdleRun(store: Store, runId: string, hiddenPaths: readonly string[] = []) {
  const run = await store.getRun(runId);
  if (!run) throw new RunStateError(`No run with id ${runId}. List runs with \`tansuo runs list\`.`);
  // A live executor may be writing the same files; one whose process is provably gone (a crash) is not.
  const lease = await store.leaseOf(runId);
  if (!leaseIsClaimable(lease)) {
    throw new RunStateError(`Run ${runId} is executing (${lease?.owner}); wait for it or cancel it, then undo.`);
  }
  return { run, workspace: new Workspace(run.settings.workspace, { hiddenPaths }) };
}

/** The file each path last held by the checkpoints: the newest row's after-state (undefined: never finished). */
function lastWrittenByPath(checkpoints: readonly FileCheckpoint[]): Map<string, FileCheckpoint["after"]> {
  const last = new Map<string, FileCheckpoint["after"]>();
  for (const checkpoint of checkpoints) last.set(checkpoint.path, checkpoint.after);
  return last;
}

/**
 * Restores the run's workspace files to how they were before step `toStep`'s tool calls: each changed path gets
 * the before-state of its first change at or after that step. Recorded as `undo` checkpoints and an `undo` event.
 */
export async function undoRun(store: Store, runId: string, options: UndoOptions = {}): Promise<UndoOutcome> {
  const toStep = options.toStep ?? 0;
  const { run, workspace } = await workspaceOfIdleRun(store, runId, options.hiddenPaths);
  if (!Number.isInteger(toStep) || toStep < 0 || toStep > run.stepCount) {
    throw new RunStateError(`--to must be a step of run ${runId}, from 0 to ${run.stepCount}; got ${toStep}.`);
  }
  const checkpoints = await store.listCheckpoints(runId);
  const lastWritten = lastWrittenByPath(checkpoints);
  const targets = new Map<string, RestoreTarget>();
  for (const checkpoint of checkpoints) {
    if (checkpoint.kind !== "tool" || checkpoint.step < toStep || targets.has(checkpoint.path)) continue;
    targets.set(checkpoint.path, {
      path: checkpoint.path,
      target: checkpoint.before,
      lastWritten: lastWritten.get(checkpoint.path),
    });
  }
  const undoId = `undo_${randomUUID().replaceAll("-", "").slice(0, 16)}`;
  const outcome = await restoreFiles(
    store,
    workspace,
    { runId, kind: "undo", callId: undoId, step: toStep },
    [...targets.values()],
    options.force === true,
  );
  const commands = (await store.listToolCalls(runId))
    .filter((call) => call.toolName === "run_command" && call.stepIndex >= toStep && call.status !== "denied")
    .filter((call) => call.status === "started" || call.status === "finished")
    .map((call) => commandOf(call.input));
  const event: RunEvent = { type: "undo", toStep, restored: outcome.restored, skipped: outcome.skipped };
  await store.appendEvent(runId, event.type, event);
  return { ...outcome, toStep, commands };
}

/**
 * Re-applies what the run's last undo restored, if nothing was recorded after it: each file gets back the bytes
 * the undo replaced (a file changed since the undo is skipped unless `force`). Undefined when there is no such undo.
 */
export async function redoRun(
  store: Store,
  runId: string,
  options: Pick<UndoOptions, "force" | "hiddenPaths"> = {},
): Promise<RestoreOutcome | undefined> {
  const { workspace } = await workspaceOfIdleRun(store, runId, options.hiddenPaths);
  const checkpoints = await store.listCheckpoints(runId);
  const last = checkpoints.at(-1);
  if (last?.kind !== "undo") return undefined;
  const undone = checkpoints.filter((checkpoint) => checkpoint.callId === last.callId);
  const targets = undone.map((checkpoint) => ({
    path: checkpoint.path,
    target: checkpoint.before,
    lastWritten: checkpoint.after,
  }));
  return await restoreFiles(
    store,
    workspace,
    { runId, kind: "redo", callId: `redo_${last.callId}`, step: last.step },
    targets,
    options.force === true,
  );
}

/** The step an undo restores to by default in chat: before the last turn, or one turn before the last undo. */
export async function previousTurnStart(store: Store, runId: string): Promise<number | undefined> {
  const messages = await store.listRunMessages(runId);
  const starts = [...new Set([0, ...messages.map((message) => message.afterStep)])].sort((a, b) => a - b);
  const last = (await store.listCheckpoints(runId)).at(-1);
  const limit = last?.kind === "undo" ? last.step : Number.POSITIVE_INFINITY;
  const earlier = starts.filter((start) => start < limit);
  return earlier.at(-1);
}

function commandOf(input: string): string {
  try {
    const parsed = JSON.parse(input) as { command?: unknown };
    if (typeof parsed.command === "string") return parsed.command;
  } catch {}
  return input;
}
