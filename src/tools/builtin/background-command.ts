import { randomUUID } from "node:crypto";
import type { CommandLaunch } from "../sandbox/command-launch.ts";
import { redactSecrets } from "../secret-environment.ts";
import type { ToolContext } from "../tool.ts";
import { ToolInputError } from "../tool-errors.ts";
import { commandMarkerVariable } from "./marked-processes.ts";

/** How long the call waits for a job's first output before it returns. */
const firstOutputMilliseconds = 1_000;

/**
 * run_command `background: true`: the command starts as a job of the run (same sandbox launch) and the call
 * returns at once with its id, pid and what it printed in its first second.
 */
export async function startBackgroundCommand(
  command: string,
  launch: CommandLaunch,
  context: ToolContext,
  environment: NodeJS.ProcessEnv,
  secrets: readonly string[],
  network: boolean,
): Promise<string> {
  if (!context.jobs) {
    throw new ToolInputError("background: true is not available here (no job table for this run); run it without.");
  }
  const marker = launch.sandboxed ? undefined : randomUUID();
  const job = await context.jobs.start({
    command,
    file: launch.file,
    args: launch.args,
    cwd: context.workspace.root,
    environment: marker === undefined ? environment : { ...environment, [commandMarkerVariable]: marker },
    marker,
  });
  await Promise.race([job.ended, new Promise((resolve) => setTimeout(resolve, firstOutputMilliseconds))]);
  const state =
    job.exit === undefined ? "running" : `exited already (exit code ${job.exit.code ?? `signal ${job.exit.signal}`})`;
  // Each sandboxed call without network has a network of its own: a server there is out of reach of later calls.
  const reach =
    launch.sandboxed && !network
      ? "\nIts network is its own (network: false): later commands cannot reach a server it starts; start it with network: true, and reach it from commands with network: true."
      : "";
  const output = job.output.lastLines(50);
  return redactSecrets(
    `started ${job.id} (pid ${job.pid}), ${state}. job_output reads its output, job_stop ends it; it ends with the run.${reach}\n` +
      `first output:\n${output === "" ? "(none yet)" : output}`,
    secrets,
  );
}
