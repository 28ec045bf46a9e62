import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { createRuntime, executeRun, startRun } from "../../src/agent/index.ts";
import { Catalog } from "../../src/models/catalog.ts";
import { resolveModel } from "../../src/models/resolve-model.ts";
import { SqliteStore } from "../../src/store/sqlite-store.ts";
import { noteFile, noteText } from "./agent-script.ts";
import { distinctFailures, type ModeResult } from "./mode-result.ts";
import { startGauge } from "./process-gauge.ts";
import { benchRunSettings } from "./run-settings.ts";

/**
 * `runs` runs started at once in this process on one SQLite file, through the runtime as `tansuo serve` executes
 * them (startRun, then executeRun), after one warm-up run that loads every module on the path. Timed from the
 * first startRun to the last run ended; `countCalls` says how many model calls the server answered meanwhile.
 */
export async function measureSqliteRuns(options: {
  runs: number;
  modelUrl: string;
  countCalls: () => Promise<number>;
}): Promise<ModeResult> {
  const folder = mkdtempSync(path.join(tmpdir(), "tansuo-bench-sqlite-"));
  const workspace = path.join(folder, "workspace");
  mkdirSync(workspace);
  writeFileSync(path.join(workspace, noteFile), noteText);
  const store = new SqliteStore(path.join(folder, "tansuo.db"));
  const catalog = Catalog.builtIn();
  const runtime = createRuntime({
    store,
    resolveModel: (spec, resolveOptions) =>
      resolveModel(spec, {
        catalog,
        env: { DEEPSEEK_API_KEY: "sk-bench-concurrency" },
        modelsDirectory: path.join(folder, "models"),
        ...resolveOptions,
      }),
  });
  try {
    const execute = async (index: number) =>
      await executeRun(runtime, (await startRun(runtime, benchRunSettings(options.modelUrl, workspace, index))).id);
    const warmUp = await execute(-1);
    if (warmUp.status !== "succeeded")
      throw new Error(`bench/concurrency: the warm-up run ended ${warmUp.status}: ${warmUp.error}`);
    await options.countCalls();
    const gauge = startGauge();
    const started = performance.now();
    const ended = await Promise.all(Array.from({ length: options.runs }, (_, index) => execute(index)));
    const totalMilliseconds = performance.now() - started;
    const reading = gauge.stop();
    return {
      mode: "one process, SQLite",
      runs: options.runs,
      succeeded: ended.filter((run) => run.status === "succeeded").length,
      modelCalls: await options.countCalls(),
      totalMilliseconds,
      gauges: [reading],
      layout: `1 process x ${options.runs}`,
      failures: distinctFailures(
        ended.filter((run) => run.status !== "succeeded").map((run) => `${run.status}: ${run.error ?? ""}`),
      ),
    };
  } finally {
    await store.close();
    rmSync(folder, { recursive: true, force: true });
  }
}
