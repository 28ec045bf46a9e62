/** A file's state at one moment, as a checkpoint keeps it: missing, its bytes, or only its size (over the limit). */
export type FileState =
  | { kind: "absent" }
  | { kind: "content"; content: Uint8Array }
  | { kind: "too-large"; size: number };

/**
 * One file of one change to the workspace: a tool call's (`tool`: before it ran, and after once it finished), or
 * what an `undo` or `redo` wrote (before = what it replaced, after = what it put there).
 */
export interface FileCheckpoint {
  /** The order checkpoints were recorded in (the store's sequence); later rows describe later changes. */
  sequence: number;
  runId: string;
  kind: "tool" | "undo" | "redo";
  /** The tool call's id, or the undo's (`undo_...`) or redo's (`redo_<undo id>`) id. */
  callId: string;
  /** The tool call's step; for an undo, the step it restored to (before that step's calls). */
  step: number;
  /** Workspace-relative. */
  path: string;
  before: FileState;
  /** Undefined until the call finished: a crash between the record and the edit leaves it so. */
  after?: FileState;
  at: string;
}

export type NewFileCheckpoint = Omit<FileCheckpoint, "sequence" | "at">;

/** A finished call's file states, matched to its checkpoints by path. */
export interface CheckpointAfter {
  path: string;
  after: FileState;
}
