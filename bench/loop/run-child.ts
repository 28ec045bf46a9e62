import { spawn } from "node:child_process";
import path from "node:path";

export interface Measurement {
  runner: string;
  steps: number;
  completedSteps: number;
  toolCalls: number;
  output: string;
  wallMicrosecondsPerStep: number;
  cpuMicrosecondsPerStep: number;
  heapMegabytes: number;
  heapGrowthMegabytes: number;
  maxRssMegabytes: number;
}

/** A measurement, or why there is none (the child ran out of memory, took too long, or failed). */
export type ChildOutcome =
  | { ok: true; measurement: Measurement }
  | { ok: false; runner: string; steps: number; reason: string };

const childFile = path.join(import.meta.dirname, "measure-child.ts");

/** Runs one runner at one size in a fresh Node process and reads the JSON line it prints. */
export function runChild(runner: string, steps: number, timeoutSeconds: number): Promise<ChildOutcome> {
  const child = spawn(process.execPath, ["--expose-gc", "--import", "tsx", childFile, runner, String(steps)], {
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (chunk) => {
    stdout += chunk;
  });
  child.stderr.on("data", (chunk) => {
    stderr = (stderr + chunk).slice(-20_000);
  });
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    child.kill("SIGKILL");
  }, timeoutSeconds * 1000);
  return new Promise((resolve) => {
    child.once("exit", (code, signal) => {
      clearTimeout(timer);
      const line = stdout.trim().split("\n").at(-1) ?? "";
      if (code === 0 && line.startsWith("{"))
        return resolve({ ok: true, measurement: JSON.parse(line) as Measurement });
      const reason = timedOut
        ? `not finished after ${timeoutSeconds} s`
        : /heap out of memory|Allocation failed/i.test(stderr)
          ? "out of memory"
          : `exited with ${code ?? signal}: ${stderr.trim().split("\n").slice(-3).join(" | ")}`;
      resolve({ ok: false, runner, steps, reason });
    });
  });
}
