import { type ChildProcess, spawn } from "node:child_process";
import { createInterface } from "node:readline";

/**
 * Starts a TypeScript file in its own Node process (through tsx) and waits for the JSON line it prints.
 * `nodeOptions` go before the file, e.g. `--cpu-prof` to profile the child.
 */
export async function startChild<Info>(
  file: string,
  args: string[] = [],
  nodeOptions: string[] = [],
): Promise<{ child: ChildProcess; info: Info }> {
  const child = spawn(process.execPath, [...nodeOptions, "--import", "tsx", file, ...args], {
    stdio: ["ignore", "pipe", "inherit", "ipc"],
  });
  const lines = createInterface({ input: child.stdout! });
  const info = await new Promise<Info>((resolve, reject) => {
    child.once("exit", (code) => reject(new Error(`${file} exited with ${code} before it was ready`)));
    lines.once("line", (line) => resolve(JSON.parse(line) as Info));
  });
  return { child, info };
}

export function stopChild(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null) return resolve();
    child.once("exit", () => resolve());
    child.kill("SIGTERM");
  });
}

/** The child's CPU time so far (user + system, microseconds), asked over its IPC channel. */
export async function childCpuMicroseconds(child: ChildProcess): Promise<number> {
  const { user, system } = await askChild<NodeJS.CpuUsage>(child, "cpu-usage");
  return user + system;
}

/** Sends `message` to the child and waits for its next answer. */
export function askChild<Answer>(child: ChildProcess, message: string): Promise<Answer> {
  return new Promise((resolve) => {
    child.once("message", (answer) => resolve(answer as Answer));
    child.send(message);
  });
}
