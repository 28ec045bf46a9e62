import { existsSync, readFileSync } from "node:fs";

/**
 * Write transactions committed to a SQLite file in WAL mode since its log last restarted, counted from the log itself:
 * each transaction ends with one frame whose "database size after commit" field is set. Frames of an older log
 * generation (another salt) are not counted.
 */
export function walCommits(databaseFile: string): number {
  const file = `${databaseFile}-wal`;
  if (!existsSync(file)) return 0;
  const log = readFileSync(file);
  if (log.length < 32) return 0;
  const pageSize = log.readUInt32BE(8);
  const salts = [log.readUInt32BE(16), log.readUInt32BE(20)];
  let commits = 0;
  for (let offset = 32; offset + 24 + pageSize <= log.length; offset += 24 + pageSize) {
    if (log.readUInt32BE(offset + 8) !== salts[0] || log.readUInt32BE(offset + 12) !== salts[1]) break;
    if (log.readUInt32BE(offset + 4) !== 0) commits += 1;
  }
  return commits;
}
