import { spawn } from "node:child_process";
import { mkdir, mkdtemp, rm, symlink, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { type Isolation, isolation } from "./isolation.ts";
import { OutputCapture } from "./output-capture.ts";

export interface SandboxRequest {
  /** Written into the fresh folder before the program starts, by relative name. */
  files: Record<string, string>;
  /** Symbolic links made in the folder, relative name to absolute target (read-only packages). */
  links?: Record<string, string>;
  /** argv; run with the folder as working directory. */
  command: string[];
  timeoutMs: number;
  /** Address-space limit of the program. */
  addressSpaceMb: number;
  /** stdout and stderr together; past this the program is killed. */
  outputLimitBytes: number;
  /** Added to a minimal environment (PATH, HOME and TMPDIR in the folder); the parent's secrets are never passed. */
  env?: Record<string, string>;
}

export interface SandboxResult {
  exitCode: number | null;
  signal: NodeJS.Signals | null;
  timedOut: boolean;
  outputLimitExceeded: boolean;
  stdout: string;
  stderr: string;
  /** What the program wrote to file descriptor 3: the harness's "reached the end" marker. */
  marker: string;
  durationMs: number;
  isolation: Isolation["level"];
}

const fileSizeLimitBytes = 64 * 1024 * 1024;

function programArgv(folder: string, request: SandboxRequest, sandbox: Isolation): string[] {
  const limits = [
    String(request.addressSpaceMb * 1024),
    String(Math.ceil(request.timeoutMs / 1000) + 1),
    String(fileSizeLimitBytes / 512),
  ];
  const drop = sandbox.hasSetpriv ? ["setpriv", "--no-new-privs", "--inh-caps=-all", "--bounding-set=-all", "--"] : [];
  return [...sandbox.wrapper, folder, ...limits, ...drop, ...request.command];
}

// The namespace's shell reports a program killed by signal N as exit status 128 + N.
function exitStatus(
  exit: { code: number | null; signal: NodeJS.Signals | null } | undefined,
  sandbox: Isolation,
): { exitCode: number | null; signal: NodeJS.Signals | null } {
  const code = exit?.code ?? null;
  if (sandbox.reportsSignalsAsStatus && code !== null && code > 128 && code !== 255) {
    const name = Object.entries(os.constants.signals).find(([, number]) => number === code - 128)?.[0];
    if (name) return { exitCode: null, signal: name as NodeJS.Signals };
  }
  return { exitCode: code, signal: exit?.signal ?? null };
}

function killGroup(pid: number | undefined): void {
  if (pid === undefined) return;
  try {
    process.kill(-pid, "SIGKILL");
  } catch {
    // Already gone.
  }
}

/**
 * Runs one untrusted program in a fresh temporary folder with a time limit, memory and file-size limits, capped
 * output and, where the platform allows, no network and a read-only file system; the folder is removed afterwards.
 * `chosen` replaces the probed isolation (tests use it to cover the plain fallback).
 */
export async function runInSandbox(request: SandboxRequest, chosen?: Isolation): Promise<SandboxResult> {
  const sandbox = chosen ?? (await isolation());
  const folder = await mkdtemp(path.join(os.tmpdir(), "tansuo-eval-"));
  try {
    for (const [name, content] of Object.entries(request.files)) await writeFile(path.join(folder, name), content);
    for (const [name, target] of Object.entries(request.links ?? {})) {
      await mkdir(path.dirname(path.join(folder, name)), { recursive: true });
      await symlink(target, path.join(folder, name));
    }
    return await runProgram(folder, request, sandbox);
  } finally {
    await rm(folder, { recursive: true, force: true, maxRetries: 3 });
  }
}

function runProgram(folder: string, request: SandboxRequest, sandbox: Isolation): Promise<SandboxResult> {
  const [command, ...args] = programArgv(folder, request, sandbox);
  const env = {
    PATH: process.env.PATH ?? "/usr/local/bin:/usr/bin:/bin",
    HOME: folder,
    TMPDIR: folder,
    LANG: "C.UTF-8",
    ...request.env,
  };
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const child = spawn(command ?? "/bin/false", args, {
      cwd: folder,
      env,
      detached: true,
      stdio: ["ignore", "pipe", "pipe", "pipe"],
    });
    const output = new OutputCapture(request.outputLimitBytes);
    const markerChunks: Buffer[] = [];
    let timedOut = false;
    let outputLimitExceeded = false;
    let exit: { code: number | null; signal: NodeJS.Signals | null } | undefined;
    const timer = setTimeout(() => {
      timedOut = true;
      killGroup(child.pid);
    }, request.timeoutMs);
    const onOutput = (stream: "stdout" | "stderr") => (chunk: Buffer) => {
      if (output.add(stream, chunk) || outputLimitExceeded) return;
      outputLimitExceeded = true;
      killGroup(child.pid);
    };
    child.stdout?.on("data", onOutput("stdout"));
    child.stderr?.on("data", onOutput("stderr"));
    const markerStream = child.stdio[3];
    markerStream?.on("data", (chunk: Buffer) => {
      if (markerChunks.length < 16) markerChunks.push(chunk);
    });
    let graceTimer: NodeJS.Timeout | undefined;
    let finished = false;
    const finish = () => {
      if (finished) return;
      finished = true;
      clearTimeout(timer);
      clearTimeout(graceTimer);
      killGroup(child.pid);
      const status = exitStatus(exit, sandbox);
      resolve({
        ...status,
        timedOut,
        outputLimitExceeded,
        stdout: output.text("stdout"),
        stderr: output.text("stderr"),
        marker: Buffer.concat(markerChunks).toString("utf8"),
        durationMs: Math.round(performance.now() - started),
        isolation: sandbox.level,
      });
    };
    child.on("error", (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.on("exit", (code, signal) => {
      exit = { code, signal };
      // A grandchild that escaped the group may hold the pipes open: do not wait for it for long.
      graceTimer = setTimeout(() => {
        for (const stream of child.stdio) stream?.destroy();
        finish();
      }, 1_000);
    });
    child.on("close", () => {
      if (exit) finish();
    });
  });
}
