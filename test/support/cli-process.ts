import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";

export const repositoryRoot = path.resolve(import.meta.dirname, "../..");
export const sharedFolder = path.resolve(repositoryRoot, "../shared");
export { tinyModelPath } from "./tiny-model.ts";

export interface CliResult {
  exitCode: number | null;
  stdout: string;
  stderr: string;
}

/** A fresh $TANSUO_HOME and workspace for one test. */
export function cliSandbox() {
  const folder = mkdtempSync(path.join(tmpdir(), "tansuo-cli-"));
  const home = path.join(folder, "home");
  const workspace = path.join(folder, "workspace");
  return { folder, home, workspace };
}

interface SpawnOptions {
  env: Record<string, string>;
  cwd: string;
  /** Standard input, written whole and closed. */
  input?: string;
  /** Standard input stays an open pipe the test writes to (and ends) itself. */
  keepInputOpen?: boolean;
}

/** Starts the real CLI (`bin/tansuo.js`) as a child process with only the environment given. */
export const spawnCli = (args: string[], options: SpawnOptions) =>
  spawnNode([path.join(repositoryRoot, "bin/tansuo.js"), ...args], options);

/** Starts `node <args>` with only the environment given, collecting its output. */
export function spawnNode(args: string[], options: SpawnOptions): ChildProcess & { result: Promise<CliResult> } {
  const child = spawn(process.execPath, args, {
    cwd: options.cwd,
    env: { PATH: process.env.PATH ?? "/usr/bin:/bin", HOME: options.env.HOME ?? tmpdir(), ...options.env },
    // `input` is standard input (a pipe, not a terminal), written whole and closed.
    stdio: [options.input === undefined && !options.keepInputOpen ? "ignore" : "pipe", "pipe", "pipe"],
  });
  if (options.input !== undefined) child.stdin?.end(options.input);
  let stdout = "";
  let stderr = "";
  child.stdout?.on("data", (chunk) => {
    stdout += chunk;
  });
  child.stderr?.on("data", (chunk) => {
    stderr += chunk;
  });
  const result = new Promise<CliResult>((resolve) => {
    child.on("close", (exitCode) => resolve({ exitCode, stdout, stderr }));
  });
  return Object.assign(child, { result });
}

export const runCli = (args: string[], options: { env: Record<string, string>; cwd: string; input?: string }) =>
  spawnCli(args, options).result;

export async function waitFor(condition: () => boolean, timeoutMilliseconds = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMilliseconds;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error("timed out waiting for a condition");
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}
