import type { CheckpointAfter, FileCheckpoint, FileState, NewFileCheckpoint } from "./checkpoint-records.ts";

// Callers get copies of the bytes: a buffer they change must not change the store.
const copyState = (state: FileState): FileState =>
  state.kind === "content" ? { kind: "content", content: new Uint8Array(state.content) } : { ...state };
const copyCheckpoint = (checkpoint: FileCheckpoint): FileCheckpoint => ({
  ...checkpoint,
  before: copyState(checkpoint.before),
  ...(checkpoint.after ? { after: copyState(checkpoint.after) } : {}),
});

/** Checkpoints in memory, shared by every MemoryStore made on the same data. */
export class MemoryCheckpoints {
  private readonly rows: FileCheckpoint[] = [];
  private sequence = 0;

  record(checkpoints: readonly NewFileCheckpoint[]): void {
    const at = new Date().toISOString();
    for (const checkpoint of checkpoints) {
      this.rows.push(copyCheckpoint({ ...checkpoint, sequence: ++this.sequence, at }));
    }
  }

  finish(runId: string, callId: string, afters: readonly CheckpointAfter[]): void {
    for (const { path, after } of afters) {
      for (const row of this.rows) {
        if (row.runId === runId && row.callId === callId && row.path === path) row.after = copyState(after);
      }
    }
  }

  list(runId: string): FileCheckpoint[] {
    return this.rows.filter((row) => row.runId === runId).map(copyCheckpoint);
  }
}
