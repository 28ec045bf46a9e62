import type { FileState, NewFileCheckpoint } from "../../store/checkpoint-records.ts";
import type { Store } from "../../store/store.ts";
import type { Workspace } from "../../tools/workspace.ts";
import { maximumCheckpointBytes, readFileState, sameFileState, writeFileState } from "./workspace-file-state.ts";

/** One file to put back: what it should become, and what the run (or the last undo) left there, if known. */
export interface RestoreTarget {
  path: string;
  target: FileState;
  /** What the file held after its last recorded change; undefined when that change never finished (a crash). */
  lastWritten: FileState | undefined;
}

export interface RestoreOutcome {
  restored: string[];
  /** Each with why, e.g. "b.txt (changed since the run wrote it; --force restores it)". */
  skipped: string[];
}

/**
 * Puts files back under undo's rules: a file whose bytes differ from what was last written there is someone
 * else's change (skipped unless `force`); a file is deleted only when the target is "did not exist" and it still
 * holds exactly what was written (never a file someone else changed, whatever `force` says). Each change is
 * recorded before it is made and finished after, as a tool call's is, so a later undo or redo sees it.
 */
export async function restoreFiles(
  store: Store,
  workspace: Workspace,
  record: Pick<NewFileCheckpoint, "runId" | "kind" | "callId" | "step">,
  targets: readonly RestoreTarget[],
  force: boolean,
): Promise<RestoreOutcome> {
  const restored: string[] = [];
  const skipped: string[] = [];
  const changes: { path: string; before: FileState; after: FileState }[] = [];
  for (const { path, target, lastWritten } of targets) {
    const current = readFileState(workspace, path);
    if (!current) {
      skipped.push(`${path} (no longer a regular file inside the workspace)`);
      continue;
    }
    if (sameFileState(current, target)) continue;
    if (target.kind === "too-large") {
      skipped.push(`${path} (over ${maximumCheckpointBytes / 1024 / 1024} MB, too large to checkpoint; not restored)`);
      continue;
    }
    // Unknown (a crash before the record finished) or too large to compare: taken as the run's own write.
    const changedSince =
      lastWritten !== undefined && lastWritten.kind !== "too-large" && !sameFileState(current, lastWritten);
    if (target.kind === "absent" && changedSince) {
      skipped.push(`${path} (created by the run but changed since; kept, never deleted)`);
      continue;
    }
    if (changedSince && !force) {
      skipped.push(`${path} (changed since the run wrote it; --force restores it)`);
      continue;
    }
    changes.push({ path, before: current, after: target });
  }
  await store.recordCheckpoints(changes.map(({ path, before }) => ({ ...record, path, before })));
  const done: { path: string; after: FileState }[] = [];
  for (const { path, after } of changes) {
    try {
      writeFileState(workspace, path, after);
      restored.push(after.kind === "absent" ? `${path} (deleted: the run created it)` : path);
      done.push({ path, after });
    } catch (error) {
      skipped.push(`${path} (${error instanceof Error ? error.message : String(error)})`);
    }
  }
  await store.finishCheckpoints(record.runId, record.callId, done);
  return { restored, skipped };
}
