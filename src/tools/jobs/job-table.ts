import { type ChildProcess, spawn } from "node:child_process";
import { killMarkedProcesses } from "../builtin/marked-processes.ts";
import { type JobRecord, thisOwner, writeJobRecords } from "./job-records.ts";
import { OutputRing } from "./output-ring.ts";
import { processStartTime } from "./process-start-time.ts";

/** How much of a job's latest output is kept for job_output. */
const keptOutputBytes = 64 * 1024;
/** How long job_stop waits after SIGTERM before SIGKILL. */
export const defaultStopGraceMilliseconds = 3_000;

export type JobState = "started" | "exited" | "stopped";

/** What a job tells the run (a `job` event). */
export interface JobChange {
  jobId: string;
  command: string;
  state: JobState;
  exitCode?: number;
}

export interface BackgroundJob {
  id: string;
  command: string;
  pid: number;
  output: OutputRing;
  /** Undefined while it runs; the exit code, or the signal's name when one ended it. */
  exit?: { code: number | null; signal: NodeJS.Signals | null };
  stopped: boolean;
  ended: Promise<void>;
}

export interface JobLaunch {
  command: string;
  file: string;
  args: string[];
  cwd: string;
  environment: NodeJS.ProcessEnv;
  /** Marks an unsandboxed job's processes: a `setsid` child escapes the group, not the marker. */
  marker?: string;
}

/**
 * One run's background jobs (run_command `background: true`), in this process. Each is recorded in the run's jobs
 * file before its call returns, so a crash of this process leaves a record the next owner reaps.
 */
export class JobTable {
  private readonly jobs = new Map<string, BackgroundJob & { child: ChildProcess; marker?: string }>();
  private counter = 0;

  /** Told of each job's start and end (the executing run's `job` events); unset between executions. */
  onChange?: (change: JobChange) => void;

  constructor(
    readonly runId: string,
    private readonly options: { recordsFolder?: string } = {},
  ) {}

  get(jobId: string): BackgroundJob | undefined {
    return this.jobs.get(jobId);
  }

  list(): BackgroundJob[] {
    return [...this.jobs.values()];
  }

  get running(): BackgroundJob[] {
    return this.list().filter((job) => job.exit === undefined);
  }

  /** Starts the job in its own process group; fails (throws) only when the command cannot be spawned at all. */
  async start(launch: JobLaunch): Promise<BackgroundJob> {
    const child = spawn(launch.file, launch.args, {
      cwd: launch.cwd,
      env: launch.environment,
      stdio: ["ignore", "pipe", "pipe"],
      detached: true,
    });
    const spawned = await new Promise<Error | undefined>((resolve) => {
      child.once("spawn", () => resolve(undefined));
      child.once("error", (error) => resolve(error));
    });
    if (spawned || child.pid === undefined) throw spawned ?? new Error("no process id");
    this.counter += 1;
    const id = `job_${this.counter}`;
    const output = new OutputRing(keptOutputBytes);
    child.stdout?.on("data", (chunk: Buffer) => output.push(chunk));
    child.stderr?.on("data", (chunk: Buffer) => output.push(chunk));
    let markEnded = () => {};
    const ended = new Promise<void>((resolve) => {
      markEnded = resolve;
    });
    const job = {
      id,
      command: launch.command,
      pid: child.pid,
      output,
      stopped: false,
      ended,
      child,
      marker: launch.marker,
    };
    this.jobs.set(id, job);
    // The leader's exit, not its pipes' close: a child it left may hold them open for hours.
    child.once("exit", (code, signal) => {
      Object.assign(job, { exit: { code, signal } });
      this.record();
      this.onChange?.({
        jobId: id,
        command: launch.command,
        state: job.stopped ? "stopped" : "exited",
        ...(code !== null ? { exitCode: code } : {}),
      });
      markEnded();
    });
    this.record();
    this.onChange?.({ jobId: id, command: launch.command, state: "started" });
    return job;
  }

  /** SIGTERM to the job's group, then SIGKILL after the grace period if it is still there. */
  async stop(jobId: string, graceMilliseconds = defaultStopGraceMilliseconds): Promise<BackgroundJob | undefined> {
    const job = this.jobs.get(jobId);
    if (!job) return undefined;
    if (job.exit !== undefined) return job;
    job.stopped = true;
    signalGroup(job.pid, "SIGTERM");
    let timer: NodeJS.Timeout | undefined;
    const graceOver = new Promise<"late">((resolve) => {
      timer = setTimeout(() => resolve("late"), graceMilliseconds);
    });
    const outcome = await Promise.race([job.ended.then(() => "ended" as const), graceOver]);
    clearTimeout(timer);
    // The leader may be gone while children it left in the group (or marked ones that left it) live on.
    signalGroup(job.pid, "SIGKILL");
    if (job.marker !== undefined) killMarkedProcesses(job.marker);
    if (outcome === "late") await job.ended;
    return job;
  }

  /** Ends every job (the run or the chat ends); the records file is gone afterwards. */
  async stopAll(graceMilliseconds = defaultStopGraceMilliseconds): Promise<void> {
    await Promise.all(this.list().map((job) => this.stop(job.id, graceMilliseconds)));
    this.record();
  }

  // The file lists only jobs still running; an empty list removes it.
  private record(): void {
    const folder = this.options.recordsFolder;
    if (folder === undefined) return;
    const owner = thisOwner();
    const records: JobRecord[] = this.running.flatMap((job) => {
      const startTime = processStartTime(job.pid);
      return startTime === undefined
        ? []
        : [{ jobId: job.id, command: job.command, pid: job.pid, processGroupId: job.pid, startTime, ...owner }];
    });
    writeJobRecords(folder, this.runId, records);
  }
}

function signalGroup(processGroupId: number, signal: NodeJS.Signals) {
  try {
    process.kill(-processGroupId, signal);
  } catch {}
}
