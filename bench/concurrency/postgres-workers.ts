import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { createRuntime, startRun } from "../../src/agent/index.ts";
import { PostgresStore } from "../../src/store/postgres/postgres-store.ts";
import { spawnCli } from "../../test/support/cli-process.ts";
import { noteFile, noteText } from "./agent-script.ts";
import { distinctFailures, type ModeResult } from "./mode-result.ts";
import type { GaugeReading } from "./process-gauge.ts";
import { benchRunSettings } from "./run-settings.ts";

type Worker = ReturnType<typeof spawnCli>;

const gaugeModule = pathToFileURL(path.join(import.meta.dirname, "worker-gauge.mjs")).href;

/** Calls `onLine` with each line the worker writes to stderr. */
function onStderrLine(worker: Worker, onLine: (line: string) => void) {
  let pending = "";
  worker.stderr?.on("data", (chunk: Buffer) => {
    const lines = (pending + String(chunk)).split("\n");
    pending = lines.pop() ?? "";
    for (const line of lines) onLine(line);
  });
}

/** Asks every worker for its gauge (SIGUSR2, see worker-gauge.mjs) and waits for each reading. */
async function readGauges(workers: Worker[], readings: ((reading: GaugeReading) => void)[]): Promise<GaugeReading[]> {
  return await Promise.all(
    workers.map(
      (worker, index) =>
        new Promise<GaugeReading>((resolve) => {
          readings[index] = resolve;
          worker.kill("SIGUSR2");
        }),
    ),
  );
}

/**
 * `runs` runs queued at once (`settings.onWorkers`) on the PostgreSQL database at `postgresUrl`, executed by `workers`
 * real `tansuo worker --concurrency <concurrency>` processes started (and idle) beforehand. Timed from the first
 * queue insert to the last "finished ... succeeded" a worker reports; each worker's gauge is read from inside it.
 */
export async function measurePostgresWorkers(options: {
  runs: number;
  workers: number;
  concurrency: number;
  modelUrl: string;
  postgresUrl: string;
  countCalls: () => Promise<number>;
}): Promise<ModeResult> {
  const folder = mkdtempSync(path.join(tmpdir(), "tansuo-bench-workers-"));
  const workspace = path.join(folder, "workspace");
  mkdirSync(workspace);
  writeFileSync(path.join(workspace, noteFile), noteText);
  const store = new PostgresStore({ url: options.postgresUrl });
  const runtime = createRuntime({
    store,
    resolveModel: async () => {
      throw new Error("bench/concurrency only queues runs here; the workers execute them");
    },
  });
  const env = {
    TANSUO_HOME: path.join(folder, "home"),
    TANSUO_STORE: options.postgresUrl,
    DEEPSEEK_API_KEY: "sk-bench-concurrency",
    NODE_OPTIONS: `--import ${gaugeModule} ${process.env.BENCH_WORKER_NODE_OPTIONS ?? ""}`,
  };
  const workers: Worker[] = [];
  const readings: ((reading: GaugeReading) => void)[] = [];
  const ended = new Map<string, string>();
  let allEnded: () => void = () => {};
  const everyRunEnded = new Promise<void>((resolve) => {
    allEnded = resolve;
  });
  try {
    const ready = Array.from({ length: options.workers }, (_, index) => {
      const worker = spawnCli(["worker", "--concurrency", String(options.concurrency)], { env, cwd: workspace });
      workers.push(worker);
      return new Promise<void>((resolve, reject) => {
        void worker.result.then((result) => reject(new Error(`a worker exited early: ${result.stderr.slice(-2000)}`)));
        onStderrLine(worker, (line) => {
          if (line.includes("claiming runs")) resolve();
          if (line.startsWith("gauge ")) readings[index]?.(JSON.parse(line.slice("gauge ".length)) as GaugeReading);
          const finished = /^finished (\S+) (.*)$/.exec(line);
          if (finished) {
            ended.set(finished[1]!, finished[2]!);
            if (ended.size === options.runs) allEnded();
          }
        });
      });
    });
    await Promise.all(ready);
    // Idle a moment (every worker polling an empty queue), then the RSS each process counts from.
    await new Promise((resolve) => setTimeout(resolve, 1000));
    await readGauges(workers, readings);
    await options.countCalls();
    const started = performance.now();
    await Promise.all(
      Array.from({ length: options.runs }, (_, index) =>
        startRun(runtime, { ...benchRunSettings(options.modelUrl, workspace, index), onWorkers: true }),
      ),
    );
    await everyRunEnded;
    const totalMilliseconds = performance.now() - started;
    const gauges = await readGauges(workers, readings);
    return {
      mode: "workers, PostgreSQL",
      runs: options.runs,
      succeeded: [...ended.values()].filter((ending) => ending.startsWith("succeeded ")).length,
      modelCalls: await options.countCalls(),
      totalMilliseconds,
      gauges,
      layout: `${options.workers} workers x ${options.concurrency}`,
      // The worker's line minus the step count and cost, which differ from run to run.
      failures: distinctFailures(
        [...ended.values()]
          .filter((ending) => !ending.startsWith("succeeded "))
          .map((ending) => ending.replace(/ · \d+ step\(s\) · [^·]+/, "")),
      ),
    };
  } finally {
    for (const worker of workers) worker.kill("SIGTERM");
    await Promise.all(workers.map((worker) => worker.result));
    await store.close();
    rmSync(folder, { recursive: true, force: true });
  }
}
