import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { writePerformanceSection } from "./performance-section.ts";
import { median, runOnce, startupCases } from "./startup/measure-startup.ts";

/**
 * Start-up time of the CLI: each command's median of N runs (default 10) from dist/ and from src/ through tsx,
 * beside `node -e 0` measured in the same rounds. Build first (`npm run bench:startup` does); run with
 * `npx tsx bench/startup.ts [--runs 10] [--write]`; `--write` puts the table into docs/performance.md.
 */
const runsIndex = process.argv.indexOf("--runs");
const runs = runsIndex === -1 ? 10 : Number(process.argv[runsIndex + 1]);
if (!Number.isInteger(runs) || runs < 1) throw new Error(`bench/startup: --runs must be a whole number >= 1`);

const home = mkdtempSync(path.join(os.tmpdir(), "tansuo-startup-"));
const loadAtStart = os.loadavg()[0]!.toFixed(1);
const times = new Map<string, number[]>();
try {
  // Rounds interleave the cases, so a burst of load on the machine touches every case alike.
  for (let round = 0; round < runs; round++) {
    for (const startupCase of startupCases) {
      for (const from of ["dist", "src"] as const) {
        if (startupCase.args === null && from === "src") continue;
        const key = `${startupCase.label}\u0000${from}`;
        times.set(key, [...(times.get(key) ?? []), runOnce(startupCase, from, home)]);
      }
    }
  }
} finally {
  rmSync(home, { recursive: true, force: true });
}

const medianOf = (label: string, from: "dist" | "src") => median(times.get(`${label}\u0000${from}`) ?? [Number.NaN]);
const floor = medianOf("node -e 0", "dist");
const rows = ["| command | dist (ms) | × node -e 0 | src via tsx (ms) | × node -e 0 |", "|---|---:|---:|---:|---:|"];
for (const { label, args } of startupCases) {
  const dist = medianOf(label, "dist");
  if (args === null) {
    rows.push(`| ${label} | ${dist.toFixed(0)} | 1.00 | | |`);
    continue;
  }
  const source = medianOf(label, "src");
  rows.push(
    `| ${label} | ${dist.toFixed(0)} | ${(dist / floor).toFixed(2)} | ${source.toFixed(0)} | ${(source / floor).toFixed(2)} |`,
  );
}
const machine =
  `Latest run: ${new Date().toISOString().slice(0, 10)}, Node ${process.version}, ${os.cpus().length} × ` +
  `${os.cpus()[0]?.model.trim()}; median of ${runs}; load average ${loadAtStart} at the start and ` +
  `${os.loadavg()[0]!.toFixed(1)} at the end.`;
const table = `${machine}\n\n${rows.join("\n")}`;
process.stdout.write(`${table}\n`);

if (process.argv.includes("--write")) writePerformanceSection("startup", table);
