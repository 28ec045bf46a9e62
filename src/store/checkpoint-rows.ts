import type { FileCheckpoint, FileState } from "./checkpoint-records.ts";

type Row = Record<string, unknown>;

/** A file state as the three columns SQLite and Postgres keep it in: kind, bytes (BLOB/bytea), size. */
export function fileStateColumns(state: FileState | undefined): [string | null, Buffer | null, number | null] {
  if (!state) return [null, null, null];
  if (state.kind === "absent") return ["absent", null, null];
  if (state.kind === "too-large") return ["too-large", null, state.size];
  const bytes = Buffer.from(state.content.buffer, state.content.byteOffset, state.content.byteLength);
  return ["content", bytes, bytes.length];
}

function fileStateFromColumns(kind: unknown, content: unknown, size: unknown): FileState | undefined {
  if (kind === null || kind === undefined) return undefined;
  if (kind === "absent") return { kind: "absent" };
  if (kind === "too-large") return { kind: "too-large", size: Number(size) };
  return { kind: "content", content: new Uint8Array(content as Buffer) };
}

export const checkpointFromRow = (row: Row): FileCheckpoint => {
  const after = fileStateFromColumns(row.after_kind, row.after_content, row.after_size);
  return {
    sequence: Number(row.sequence),
    runId: String(row.run_id),
    kind: String(row.kind) as FileCheckpoint["kind"],
    callId: String(row.call_id),
    step: Number(row.step),
    path: String(row.path),
    before: fileStateFromColumns(row.before_kind, row.before_content, row.before_size)!,
    ...(after ? { after } : {}),
    at: String(row.at),
  };
};
