import { reapOrphanJobs } from "../tools/jobs/job-records.ts";
import { JobTable } from "../tools/jobs/job-table.ts";
import type { RunEvent } from "./run-events.ts";
import type { AgentRuntime } from "./runtime.ts";

// Per runtime, per run: a chat keeps a run's jobs across its turns (each an execution of the same run).
const tables = new WeakMap<AgentRuntime, Map<string, JobTable>>();

const tablesOf = (runtime: AgentRuntime) => {
  const existing = tables.get(runtime);
  if (existing) return existing;
  const map = new Map<string, JobTable>();
  tables.set(runtime, map);
  return map;
};

/**
 * The run's job table for one execution, its `job` events emitted. Opening it first kills what a crashed earlier
 * owner of the run left running (recorded in $TANSUO_HOME/jobs/<run-id>.json).
 */
export function openRunJobs(runtime: AgentRuntime, runId: string, emit: (event: RunEvent) => void): JobTable {
  const map = tablesOf(runtime);
  let table = map.get(runId);
  if (!table) {
    if (runtime.jobsFolder !== undefined) reapOrphanJobs(runtime.jobsFolder, runId);
    table = new JobTable(runId, { recordsFolder: runtime.jobsFolder });
    map.set(runId, table);
  }
  table.onChange = (change) => emit({ type: "job", ...change });
  return table;
}

/** The execution is over: no more events from its jobs; with `end`, the jobs are stopped too. */
export async function closeRunJobs(runtime: AgentRuntime, runId: string, end: boolean): Promise<void> {
  const table = tablesOf(runtime).get(runId);
  if (!table) return;
  if (!end) {
    table.onChange = undefined;
    return;
  }
  await table.stopAll();
  table.onChange = undefined;
  tablesOf(runtime).delete(runId);
}

/** Every run's jobs in this runtime end (`tansuo chat` exits). */
export async function endAllRunJobs(runtime: AgentRuntime): Promise<void> {
  await Promise.all([...tablesOf(runtime).keys()].map((runId) => closeRunJobs(runtime, runId, true)));
}

/** At a process's start (`tansuo chat`): the jobs of every crashed owner are killed. */
export function reapAllOrphanJobs(runtime: AgentRuntime): void {
  if (runtime.jobsFolder !== undefined) reapOrphanJobs(runtime.jobsFolder);
}
