import type Database from "better-sqlite3";
import type { CheckpointAfter, FileCheckpoint, NewFileCheckpoint } from "./checkpoint-records.ts";
import { checkpointFromRow, fileStateColumns } from "./checkpoint-rows.ts";

type Row = Record<string, unknown>;

/** Checkpoints in SQLite: each write is one transaction, so a call's files are recorded together or not at all. */
export class SqliteCheckpoints {
  private readonly insertAll: (checkpoints: readonly NewFileCheckpoint[]) => void;
  private readonly finishAll: (runId: string, callId: string, afters: readonly CheckpointAfter[]) => void;

  constructor(
    database: Database.Database,
    private readonly statement: (sql: string) => Database.Statement,
  ) {
    this.insertAll = database.transaction((checkpoints: readonly NewFileCheckpoint[]) => {
      const at = new Date().toISOString();
      const insert = this.statement(
        `INSERT INTO checkpoints (run_id, kind, call_id, step, path, before_kind, before_content, before_size,
           after_kind, after_content, after_size, at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      );
      for (const checkpoint of checkpoints) {
        insert.run(
          checkpoint.runId,
          checkpoint.kind,
          checkpoint.callId,
          checkpoint.step,
          checkpoint.path,
          ...fileStateColumns(checkpoint.before),
          ...fileStateColumns(checkpoint.after),
          at,
        );
      }
    });
    this.finishAll = database.transaction((runId: string, callId: string, afters: readonly CheckpointAfter[]) => {
      const update = this.statement(
        `UPDATE checkpoints SET after_kind = ?, after_content = ?, after_size = ?
         WHERE run_id = ? AND call_id = ? AND path = ?`,
      );
      for (const { path, after } of afters) update.run(...fileStateColumns(after), runId, callId, path);
    });
  }

  record(checkpoints: readonly NewFileCheckpoint[]): void {
    if (checkpoints.length > 0) this.insertAll(checkpoints);
  }

  finish(runId: string, callId: string, afters: readonly CheckpointAfter[]): void {
    if (afters.length > 0) this.finishAll(runId, callId, afters);
  }

  list(runId: string): FileCheckpoint[] {
    const rows = this.statement("SELECT * FROM checkpoints WHERE run_id = ? ORDER BY sequence").all(runId) as Row[];
    return rows.map(checkpointFromRow);
  }
}
