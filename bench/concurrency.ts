import { spawn } from "node:child_process";
import os from "node:os";
import path from "node:path";
import { createInterface } from "node:readline";
import { startPostgresServer } from "../test/support/postgres-server.ts";
import { concurrencyTable } from "./concurrency/concurrency-table.ts";
import type { ModeResult } from "./concurrency/mode-result.ts";
import { measurePostgresWorkers } from "./concurrency/postgres-workers.ts";
import { askChild, startChild, stopChild } from "./gateway/child-process.ts";
import { writePerformanceSection } from "./performance-section.ts";

/**
 * Many simultaneous runs against a local DeepSeek-format server whose every call takes `--latency` ms (default
 * 200): bare HTTP call pairs (the floor), `--runs` runs (default 1,000) in one process on SQLite, and the same
 * number queued on a throwaway PostgreSQL and executed by `--workers` `tansuo worker` processes (default 2, each
 * with concurrency runs/workers). Each run reads one file with one tool call, then answers: two model calls, so the
 * ideal is 2 x latency. Run with `npx tsx bench/concurrency.ts [--runs 1000] [--workers 2] [--latency 200]
 * [--write]`; `--write` puts the table into docs/performance.md.
 */
const argument = (name: string, fallback: number) => {
  const index = process.argv.indexOf(`--${name}`);
  const value = index === -1 ? fallback : Number(process.argv[index + 1]);
  if (!Number.isInteger(value) || value < 1)
    throw new Error(`bench/concurrency: --${name} must be a whole number >= 1`);
  return value;
};
const runs = argument("runs", 1000);
const workers = argument("workers", 2);
const latency = argument("latency", 200);
const ideal = 2 * latency;
const here = import.meta.dirname;

/** A mode measured in its own process (in-child.ts), relaying its call counts to the model server. */
async function inChild(server: Awaited<ReturnType<typeof startChild>>["child"], mode: "http" | "sqlite") {
  const child = spawn(
    process.execPath,
    ["--expose-gc", "--import", "tsx", path.join(here, "concurrency/in-child.ts"), mode, String(runs), modelUrl],
    {
      stdio: ["ignore", "pipe", "inherit", "ipc"],
    },
  );
  child.on("message", async () => child.send(await askChild(server, "count")));
  const line = await new Promise<string>((resolve, reject) => {
    child.once("exit", (code) => reject(new Error(`bench/concurrency: the ${mode} child exited with ${code}`)));
    createInterface({ input: child.stdout! }).once("line", resolve);
  });
  return JSON.parse(line) as ModeResult;
}

const loadAtStart = os.loadavg()[0]!.toFixed(1);
const modelServer = await startChild<{ url: string }>(path.join(here, "concurrency/model-server-process.ts"), [
  String(latency),
]);
const modelUrl = modelServer.info.url;
const countCalls = async () => (await askChild<{ requests: number }>(modelServer.child, "count")).requests;
const results: ModeResult[] = [];
const postgres = await startPostgresServer();
try {
  for (const mode of ["http", "sqlite"] as const) {
    results.push(await inChild(modelServer.child, mode));
    process.stderr.write(`${results.at(-1)!.mode}: ${results.at(-1)!.totalMilliseconds.toFixed(0)} ms\n`);
  }
  if ("unavailable" in postgres)
    throw new Error(`bench/concurrency: no PostgreSQL to measure workers on (${postgres.unavailable})`);
  const postgresUrl = await postgres.createDatabase("bench_concurrency");
  const concurrency = Math.ceil(runs / workers);
  results.push(await measurePostgresWorkers({ runs, workers, concurrency, modelUrl, postgresUrl, countCalls }));
  process.stderr.write(`${results.at(-1)!.mode}: ${results.at(-1)!.totalMilliseconds.toFixed(0)} ms\n`);
} finally {
  if (!("unavailable" in postgres)) postgres.stop();
  await stopChild(modelServer.child);
}

const machine =
  `Latest run: ${new Date().toISOString().slice(0, 10)}, Node ${process.version}, ${os.cpus().length} × ` +
  `${os.cpus()[0]?.model.trim()}; ${runs} runs, ${latency} ms per model call, ideal ${ideal} ms; load average ` +
  `${loadAtStart} at the start and ${os.loadavg()[0]!.toFixed(1)} at the end (other work on the machine inflates wall time).`;
const failures = results.flatMap((result) => result.failures.map((failure) => `- ${result.mode}: ${failure}`));
const table = `${machine}\n\n${concurrencyTable(results, ideal)}${failures.length > 0 ? `\n\nRuns that did not succeed:\n${failures.join("\n")}` : ""}`;
process.stdout.write(`${table}\n`);

if (process.argv.includes("--write")) writePerformanceSection("concurrency", table);
