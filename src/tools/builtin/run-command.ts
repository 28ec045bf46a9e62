import { spawn } from "node:child_process";
import { randomUUID } from "node:crypto";
import { z } from "zod";
import { commandLaunch } from "../sandbox/command-launch.ts";
import { commandEnvironment, knownSecrets, redactSecrets } from "../secret-environment.ts";
import { defineTool, type Tool, type ToolContext } from "../tool.ts";
import { startBackgroundCommand } from "./background-command.ts";
import { commandMarkerVariable, killMarkedProcesses } from "./marked-processes.ts";

const maximumCapturedBytes = 200_000;

const inputSchema = z.object({
  command: z.string().min(1).describe("The shell command line"),
  timeout_seconds: z.number().int().min(1).max(3600).optional(),
  network: z.boolean().optional().describe("needs network access (package installs, downloads)"),
  background: z
    .boolean()
    .optional()
    .describe("start it as a background job (a dev server, a watcher) and return at once with its job id"),
});

type RunCommandInput = z.infer<typeof inputSchema>;

/** run_command with a chosen bubblewrap binary: tests point it at a missing or failing one. */
export function createRunCommandTool(options: { bwrapPath?: string } = {}): Tool<unknown> {
  const bwrapPath = options.bwrapPath ?? "bwrap";
  return defineTool({
    name: "run_command",
    description:
      "Run a shell command (bash) in the workspace folder. Returns the exit code and combined output. " +
      "Commands need the user's approval. Default timeout 120 seconds. Where the machine has a sandbox, the command " +
      "can write only inside the workspace, sees the rest of the system read-only, does not see the user's home " +
      "folder or Tansuo's config, and has no network unless the call sets network: true; approving the call is " +
      "what grants it the network. With background: true it starts a job that outlives the call (job_output reads " +
      "its output, job_stop ends it; every job ends with the run); to reach a server a job starts, give the job " +
      "and the later commands network: true.",
    inputSchema,
    needsApproval: true,
    readOnly: false,
    // Its own timeout_seconds (at most an hour) kills the command sooner; this only backs it up.
    timeoutMilliseconds: 3_660_000,
    execute: (input, context) => runCommand(input, context, bwrapPath),
  });
}

export const runCommandTool = createRunCommandTool();

async function runCommand(input: RunCommandInput, context: ToolContext, bwrapPath: string): Promise<string> {
  // No known secret reaches the command at all: it could print one in pieces no redaction recognises.
  const named = (context.policy.secretVariables ?? []).map((name) => process.env[name]);
  const secrets = [...context.policy.secrets, ...knownSecrets(process.env, named)];
  const environment = commandEnvironment(process.env, secrets, context.policy.secretVariables);
  const launch = await commandLaunch({
    command: input.command,
    workspace: context.workspace.root,
    network: input.network ?? false,
    policy: context.policy,
    environment,
    warn: context.warn,
    bwrapPath,
  });
  if (input.background) {
    return startBackgroundCommand(input.command, launch, context, environment, secrets, input.network ?? false);
  }
  // Without a sandbox's PID namespace, a `setsid` child leaves the process group; the marker still finds it.
  const marker = launch.sandboxed ? undefined : randomUUID();
  const output = await runToEnd(launch.file, launch.args, {
    cwd: context.workspace.root,
    environment: marker === undefined ? environment : { ...environment, [commandMarkerVariable]: marker },
    marker,
    timeoutSeconds: input.timeout_seconds ?? 120,
    signal: context.signal,
  });
  // The run's policy lists every secret; the environment's own are added for runtimes built without one.
  return redactSecrets(output, secrets);
}

interface RunOptions {
  cwd: string;
  environment: NodeJS.ProcessEnv;
  timeoutSeconds: number;
  signal: AbortSignal;
  /** Marks the command's processes: a timeout or an abort kills them all (a normal end leaves servers it started). */
  marker?: string;
}

function runToEnd(file: string, args: string[], options: RunOptions): Promise<string> {
  return new Promise<string>((resolve) => {
    // Its own process group (bwrap or bash leads it), so a timeout or an abort kills the whole tree at once.
    const child = spawn(file, args, {
      cwd: options.cwd,
      env: options.environment,
      stdio: ["ignore", "pipe", "pipe"],
      detached: true,
    });
    const chunks: Buffer[] = [];
    let captured = 0;
    let dropped = 0;
    const capture = (chunk: Buffer) => {
      const room = maximumCapturedBytes - captured;
      if (room > 0) chunks.push(chunk.subarray(0, room));
      captured += Math.min(chunk.length, Math.max(room, 0));
      dropped += Math.max(0, chunk.length - Math.max(room, 0));
    };
    child.stdout.on("data", capture);
    child.stderr.on("data", capture);
    let timedOut = false;
    const killGroup = () => {
      try {
        if (child.pid) process.kill(-child.pid, "SIGKILL");
      } catch {}
      if (options.marker !== undefined) killMarkedProcesses(options.marker);
    };
    const timer = setTimeout(() => {
      timedOut = true;
      killGroup();
    }, options.timeoutSeconds * 1000);
    options.signal.addEventListener("abort", killGroup, { once: true });
    if (options.signal.aborted) killGroup();
    child.on("close", (code, killedBy) => {
      clearTimeout(timer);
      options.signal.removeEventListener("abort", killGroup);
      const status = timedOut
        ? `timed out after ${options.timeoutSeconds} s (killed)`
        : `exit code ${code ?? `signal ${killedBy}`}`;
      const tail = dropped > 0 ? `\n[${dropped} more bytes of output not captured]` : "";
      resolve(`${status}\n${Buffer.concat(chunks).toString("utf8")}${tail}`);
    });
    child.on("error", (error) => {
      clearTimeout(timer);
      options.signal.removeEventListener("abort", killGroup);
      resolve(`failed to start: ${error.message}`);
    });
  });
}
