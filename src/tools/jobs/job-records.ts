import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { hostname } from "node:os";
import path from "node:path";
import { isSameProcess, processStartTime } from "./process-start-time.ts";

/** One background job as written to $TANSUO_HOME/jobs/<run-id>.json before run_command returns. */
export interface JobRecord {
  jobId: string;
  command: string;
  host: string;
  pid: number;
  /** The job leads its own process group: the group is what is killed. */
  processGroupId: number;
  /** From /proc/<pid>/stat: a pid reused by another process since is never killed. */
  startTime: string;
  /** The Tansuo process that started it; while it lives, the job is its. */
  ownerPid: number;
  ownerStartTime: string;
}

interface JobsFile {
  runId: string;
  jobs: JobRecord[];
}

const fileOf = (folder: string, runId: string) => path.join(folder, `${runId}.json`);

/** This process as an owner, for records it writes. */
export function thisOwner(): { host: string; ownerPid: number; ownerStartTime: string } {
  return { host: hostname(), ownerPid: process.pid, ownerStartTime: processStartTime(process.pid) ?? "" };
}

export function readJobRecords(folder: string, runId: string): JobRecord[] {
  try {
    const parsed = JSON.parse(readFileSync(fileOf(folder, runId), "utf8")) as JobsFile;
    return Array.isArray(parsed.jobs) ? parsed.jobs : [];
  } catch {
    return [];
  }
}

/** Written whole through a temporary file and a rename: a crash mid-write leaves the old list, not half a file. */
export function writeJobRecords(folder: string, runId: string, jobs: JobRecord[]): void {
  const file = fileOf(folder, runId);
  if (jobs.length === 0) {
    rmSync(file, { force: true });
    return;
  }
  mkdirSync(folder, { recursive: true, mode: 0o700 });
  const temporary = `${file}.${process.pid}.tmp`;
  writeFileSync(temporary, `${JSON.stringify({ runId, jobs } satisfies JobsFile, null, 2)}\n`, { mode: 0o600 });
  renameSync(temporary, file);
}

/** The owner is gone (or was this machine's and is a different process now); another host's jobs are not judged. */
function ownerIsGone(record: JobRecord): boolean {
  if (record.host !== hostname()) return false;
  return !isSameProcess(record.ownerPid, record.ownerStartTime);
}

/**
 * Kills the recorded jobs of owners that are gone (a crashed `tansuo`), for one run or for every run, and drops
 * their records. A pid whose start time differs is another process now and is left alone. Returns the jobs killed.
 */
export function reapOrphanJobs(folder: string, runId?: string): JobRecord[] {
  const runIds = runId !== undefined ? [runId] : runFiles(folder);
  const killed: JobRecord[] = [];
  for (const id of runIds) {
    const records = readJobRecords(folder, id);
    const kept: JobRecord[] = [];
    for (const record of records) {
      if (!ownerIsGone(record)) {
        kept.push(record);
        continue;
      }
      if (isSameProcess(record.pid, record.startTime)) {
        try {
          process.kill(-record.processGroupId, "SIGKILL");
        } catch {}
        killed.push(record);
      }
    }
    if (kept.length !== records.length) writeJobRecords(folder, id, kept);
  }
  return killed;
}

function runFiles(folder: string): string[] {
  try {
    return readdirSync(folder)
      .filter((name) => name.endsWith(".json"))
      .map((name) => name.slice(0, -".json".length));
  } catch {
    return [];
  }
}
