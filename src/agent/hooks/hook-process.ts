import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import path from "node:path";
import { commandLaunch } from "../../tools/sandbox/command-launch.ts";
import { commandEnvironment, knownSecrets } from "../../tools/secret-environment.ts";
import type { ToolPolicy } from "../../tools/tool.ts";

/** How a hook's process ended: its exit code and output, or why there is none. */
export type HookProcessResult =
  | { kind: "exited"; exitCode: number; stdout: string; stderr: string }
  | { kind: "timed-out"; timeoutSeconds: number }
  | { kind: "failed"; message: string };

export interface HookProcessOptions {
  command: string;
  input: Record<string, unknown>;
  workspace: string;
  policy: ToolPolicy;
  timeoutSeconds: number;
  signal: AbortSignal;
  warn: (message: string) => void;
  /** Tests point it at a missing bubblewrap. */
  bwrapPath?: string;
}

const maximumStreamBytes = 64_000;

/**
 * Runs one hook command like run_command runs a command: through the sandbox launcher, the workspace as its folder,
 * no known secret in its environment, its own process group (killed whole at the time limit), the event on stdin.
 */
export async function runHookProcess(options: HookProcessOptions): Promise<HookProcessResult> {
  const named = (options.policy.secretVariables ?? []).map((name) => process.env[name]);
  const secrets = [...options.policy.secrets, ...knownSecrets(process.env, named)];
  const environment = {
    ...commandEnvironment(process.env, secrets, options.policy.secretVariables),
    // Claude Code's variable, so scripts written for it find the project the same way.
    CLAUDE_PROJECT_DIR: options.workspace,
    TANSUO_PROJECT_DIR: options.workspace,
  };
  let launch: Awaited<ReturnType<typeof commandLaunch>>;
  try {
    launch = await commandLaunch({
      command: options.command,
      workspace: options.workspace,
      // The hook is the user's own command (home config or a trusted project file); notifiers need the network.
      network: true,
      policy: options.policy,
      environment,
      warn: options.warn,
      bwrapPath: options.bwrapPath ?? "bwrap",
      readOnlyPaths: scriptPaths(options.command),
    });
  } catch (error) {
    return { kind: "failed", message: error instanceof Error ? error.message : String(error) };
  }
  return await new Promise<HookProcessResult>((resolve) => {
    const child = spawn(launch.file, launch.args, {
      cwd: options.workspace,
      env: environment,
      stdio: ["pipe", "pipe", "pipe"],
      detached: true,
    });
    const stdout = capped();
    const stderr = capped();
    child.stdout.on("data", stdout.add);
    child.stderr.on("data", stderr.add);
    // A hook that never reads its input exits before we finish writing it: not an error.
    child.stdin.on("error", () => {});
    child.stdin.end(JSON.stringify(options.input));
    let timedOut = false;
    const killGroup = () => {
      try {
        if (child.pid) process.kill(-child.pid, "SIGKILL");
      } catch {}
    };
    const timer = setTimeout(() => {
      timedOut = true;
      killGroup();
    }, options.timeoutSeconds * 1000);
    options.signal.addEventListener("abort", killGroup, { once: true });
    const settle = (result: HookProcessResult) => {
      clearTimeout(timer);
      options.signal.removeEventListener("abort", killGroup);
      resolve(result);
    };
    child.on("error", (error) => settle({ kind: "failed", message: `failed to start: ${error.message}` }));
    child.on("close", (code, killedBy) => {
      if (timedOut) return settle({ kind: "timed-out", timeoutSeconds: options.timeoutSeconds });
      if (code === null) return settle({ kind: "failed", message: `killed by ${killedBy}` });
      settle({ kind: "exited", exitCode: code, stdout: stdout.text(), stderr: stderr.text() });
    });
  });
}

function capped() {
  const chunks: Buffer[] = [];
  let size = 0;
  return {
    add: (chunk: Buffer) => {
      const room = maximumStreamBytes - size;
      if (room <= 0) return;
      chunks.push(chunk.subarray(0, room));
      size += Math.min(room, chunk.length);
    },
    text: () => Buffer.concat(chunks).toString("utf8"),
  };
}

/** Absolute paths of files the command names (its script): shown read-only in the sandbox, which hides homes. */
export function scriptPaths(command: string): string[] {
  const words = command.match(/(?:"[^"]*"|'[^']*'|\S)+/g) ?? [];
  return words
    .map((word) => word.replace(/^["']|["']$/g, ""))
    .filter((word) => path.isAbsolute(word) && existsSync(word));
}
