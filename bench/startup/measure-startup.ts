import { spawnSync } from "node:child_process";
import path from "node:path";

/** One command line of the CLI to time; `args` go after `bin/tansuo.js` (null: `node -e 0`, the floor). */
export interface StartupCase {
  label: string;
  args: string[] | null;
}

export const startupCases: StartupCase[] = [
  { label: "node -e 0", args: null },
  { label: "tansuo --help", args: ["--help"] },
  { label: "tansuo --version", args: ["--version"] },
  { label: "tansuo models", args: ["models"] },
  { label: "tansuo models --json", args: ["models", "--json"] },
  { label: "tansuo runs list (empty home)", args: ["runs", "list"] },
];

const binary = path.join(import.meta.dirname, "../../bin/tansuo.js");

/** Runs one case once, from dist or from src through tsx, and returns its wall time in ms; a failure throws. */
export function runOnce(startupCase: StartupCase, from: "dist" | "src", home: string): number {
  const args = startupCase.args === null ? ["-e", "0"] : [binary, ...startupCase.args];
  const env = { ...process.env, TANSUO_HOME: home, TANSUO_FROM_SOURCE: from === "src" ? "1" : "0" };
  const started = process.hrtime.bigint();
  const result = spawnSync(process.execPath, args, { env, encoding: "utf8" });
  const milliseconds = Number(process.hrtime.bigint() - started) / 1e6;
  if (result.status !== 0) {
    throw new Error(`bench/startup: "${startupCase.label}" exited ${result.status}: ${result.stderr.slice(0, 400)}`);
  }
  return milliseconds;
}

export function median(values: number[]): number {
  const sorted = [...values].sort((left, right) => left - right);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}
