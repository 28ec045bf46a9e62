import type { CheckpointAfter, FileCheckpoint, NewFileCheckpoint } from "../checkpoint-records.ts";
import { checkpointFromRow, fileStateColumns } from "../checkpoint-rows.ts";
import type { PostgresConnection } from "./postgres-connection.ts";

/** Checkpoints in Postgres (bytes as bytea); a call's files are written in one transaction. */
export const postgresCheckpoints = {
  async record(connection: PostgresConnection, checkpoints: readonly NewFileCheckpoint[]): Promise<void> {
    if (checkpoints.length === 0) return;
    const at = new Date().toISOString();
    await connection.transaction(async (client) => {
      for (const checkpoint of checkpoints) {
        await client.query(
          `INSERT INTO checkpoints (run_id, kind, call_id, step, path, before_kind, before_content, before_size,
             after_kind, after_content, after_size, at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)`,
          [
            checkpoint.runId,
            checkpoint.kind,
            checkpoint.callId,
            checkpoint.step,
            checkpoint.path,
            ...fileStateColumns(checkpoint.before),
            ...fileStateColumns(checkpoint.after),
            at,
          ],
        );
      }
    });
  },

  async finish(
    connection: PostgresConnection,
    runId: string,
    callId: string,
    afters: readonly CheckpointAfter[],
  ): Promise<void> {
    if (afters.length === 0) return;
    await connection.transaction(async (client) => {
      for (const { path, after } of afters) {
        await client.query(
          `UPDATE checkpoints SET after_kind = $1, after_content = $2, after_size = $3
           WHERE run_id = $4 AND call_id = $5 AND path = $6`,
          [...fileStateColumns(after), runId, callId, path],
        );
      }
    });
  },

  async list(connection: PostgresConnection, runId: string): Promise<FileCheckpoint[]> {
    const { rows } = await connection.query("SELECT * FROM checkpoints WHERE run_id = $1 ORDER BY sequence", [runId]);
    return rows.map(checkpointFromRow);
  },
};
