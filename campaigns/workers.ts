import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { callRequestIdHeader } from "../src/agent/call-request-id.ts";
import { approveRun, createRuntime } from "../src/agent/index.ts";
import { priceAt } from "../src/cost/price.ts";
import { Usd } from "../src/cost/usd.ts";
import { Catalog } from "../src/models/catalog.ts";
import { openStore } from "../src/store/open-store.ts";
import type { RunRecord } from "../src/store/records.ts";
import type { Store } from "../src/store/store.ts";
import { spawnCli } from "../test/support/cli-process.ts";
import { type RecordedRequest, startDeepSeekServer } from "../test/support/deepseek-server/index.ts";
import { type PostgresServer, startPostgresServer } from "../test/support/postgres-server.ts";
import { compareLedgerWithBill, type LedgerComparison } from "./workers-ledger.ts";

export type WorkersStore = "sqlite" | "postgres";

export interface WorkersCampaignOptions {
  /** Where the workers keep runs, steps and the ledger: one SQLite file, or one database on a throwaway PostgreSQL. */
  store: WorkersStore;
  /** The cluster to make the database on (store "postgres"); without it the campaign starts and stops its own. */
  postgres?: PostgresServer;
  runs: number;
  workers: number;
  /** Runs each worker executes at once. */
  concurrency: number;
  /** One worker (at random among those executing a run) is SIGKILLed this often and a new one started in its place. */
  killEveryMilliseconds: number;
  /** The model server answers each call after a delay drawn from this range. */
  latencyMilliseconds: [number, number];
  /** Runs are queued at this rate while the workers run (0: all before the workers start). */
  arrivalsPerSecond: number;
  /** Gives up (and fails) after this long. */
  timeoutMilliseconds?: number;
  onProgress?: (line: string) => void;
}

export interface WorkersCampaignReport {
  store: WorkersStore;
  runs: number;
  succeeded: number;
  /** Runs whose command a kill interrupted: left waiting for a person (the no-repeat rule), then denied and finished. */
  interruptedCalls: number;
  notSucceeded: string[];
  kills: number;
  /** Runs a worker claimed from a killed one (its lease provably gone). */
  takeovers: number;
  sideEffectLines: number;
  repeatedSideEffects: number;
  /** Model calls of a run that arrived while another call of the same run was unanswered (two executors at once). */
  concurrentExecutions: number;
  /** Workers stopped with SIGTERM at the end that did not exit 0. */
  uncleanStops: number;
  ledgerUsd: string;
  upstreamBilledUsd: string;
  /** Each ledger line against the server's bill for its request id. */
  ledger: Omit<LedgerComparison, "failures">;
  runsPerSecond: number;
  queueWaitMilliseconds: { p50: number; p99: number; max: number };
  seconds: number;
  /** Empty when every check held. */
  failures: string[];
}

const apiKey = "sk-workers-campaign-000444";
const model = "deepseek-v4-flash";
const completionTokens = 40;
// As a provider counts: about 4 bytes of the request's messages and tools a token, below the agent's bytes bound.
const promptTokensOf = (body: { messages: unknown; tools?: unknown }) =>
  Math.ceil(Buffer.byteLength(JSON.stringify(body.messages) + JSON.stringify(body.tools ?? [])) / 4);
const tokenOf = (request: RecordedRequest) => /effect-\d+/.exec(JSON.stringify(request.body))?.[0];
const sleep = (milliseconds: number) => new Promise((resolve) => setTimeout(resolve, milliseconds));

/**
 * Queues runs whose one tool call appends a line to a side-effect file, executes them on `workers` real
 * `tansuo worker` processes sharing one store (a SQLite file or a PostgreSQL database), SIGKILLs one every few
 * seconds and starts another, and checks: every run ends succeeded, no side effect twice, no run executed by two
 * workers at once, each ledger line equal to (settled) or above (cut off by a kill) what the model server billed for
 * its request. Reports throughput and the queue wait (creation to first `running`).
 */
export async function runWorkersCampaign(options: WorkersCampaignOptions): Promise<WorkersCampaignReport> {
  const folder = mkdtempSync(path.join(tmpdir(), "tansuo-workers-"));
  const home = path.join(folder, "home");
  const workspace = path.join(folder, "workspace");
  mkdirSync(workspace, { recursive: true });
  const sideEffects = path.join(workspace, "side-effects.txt");
  let concurrentExecutions = 0;
  const [low, high] = options.latencyMilliseconds;
  const price = priceAt(Catalog.builtIn().find(model)!.prices, new Date())!;
  // What the server billed, by the request id the call sent: the whole reply, even when the client went away.
  const billedByRequestId = new Map<string, string>();
  let requestsWithoutId = 0;
  const server = await startDeepSeekServer({
    apiKey,
    fallback: (request) => {
      const token = tokenOf(request);
      const pending = server.requests.filter(
        (other) => other !== request && tokenOf(other) === token && other.status === undefined && !other.disconnected,
      );
      if (pending.length > 0) concurrentExecutions += 1;
      const delayMs = low + Math.random() * (high - low);
      const body = request.body as { messages: { role: string }[]; tools?: unknown };
      const usage = { promptTokens: promptTokensOf(body), completionTokens };
      const requestId = request.headers[callRequestIdHeader];
      if (typeof requestId === "string") {
        const billed = Usd.dividedBy(
          Usd.add(Usd.times(price.inputCacheMiss, usage.promptTokens), Usd.times(price.output, completionTokens)),
          1_000_000,
        );
        billedByRequestId.set(requestId, Usd.add(billedByRequestId.get(requestId) ?? Usd.zero, billed));
      } else requestsWithoutId += 1;
      const messages = body.messages;
      if (messages.some((message) => message.role === "tool")) return { content: `done ${token}`, delayMs, usage };
      const command = `echo ${token} >> side-effects.txt`;
      return { toolCalls: [{ name: "run_command", arguments: { command } }], delayMs, usage };
    },
  });
  const ownPostgres = options.store === "postgres" && !options.postgres ? await startPostgresServer() : undefined;
  if (ownPostgres && "unavailable" in ownPostgres) {
    await server.close();
    rmSync(folder, { recursive: true, force: true });
    throw new Error(`campaign:workers on PostgreSQL: no cluster could be started (${ownPostgres.unavailable})`);
  }
  const postgres = options.postgres ?? ownPostgres;
  const location =
    options.store === "postgres"
      ? await postgres!.createDatabase(`workers_${process.pid}_${Date.now()}`)
      : path.join(home, "tansuo.db");
  const store: Store = openStore(location);
  const env = { TANSUO_HOME: home, TANSUO_STORE: location, DEEPSEEK_API_KEY: apiKey, TANSUO_RETRY_SCALE: "0.01" };
  type Worker = ReturnType<typeof spawnCli> & { ready: Promise<void>; isReady: boolean; claimed: Set<string> };
  const live: Worker[] = [];
  const stopped: Worker[] = [];
  const startWorker = () => {
    const worker = spawnCli(["worker", "--concurrency", String(options.concurrency)], { env, cwd: workspace });
    // Ready once it says so: a SIGTERM before its handler is installed would end it as Node's default does.
    const ready = new Promise<void>((resolve) => {
      const onData = (chunk: Buffer) => {
        if (!String(chunk).includes("claiming runs")) return;
        worker.stderr?.off("data", onData);
        resolve();
      };
      worker.stderr?.on("data", onData);
      void worker.result.then(() => resolve());
    });
    const claimed = new Set<string>();
    worker.stderr?.on("data", (chunk: Buffer) => {
      for (const match of String(chunk).matchAll(/claimed (\S+)/g)) claimed.add(match[1]!);
    });
    const entry = Object.assign(worker, { ready, isReady: false, claimed });
    void ready.then(() => {
      entry.isReady = true;
    });
    live.push(entry);
    return worker;
  };
  const started = Date.now();
  const failures: string[] = [];
  let kills = 0;
  const killedLogs: string[] = [];
  try {
    const ids: string[] = [];
    const queueRun = async (index: number) => {
      const run = await store.createRun({
        settings: {
          task: `effect-${index}`,
          model,
          baseUrl: server.url,
          workspace,
          maxSteps: 5,
          thinking: "auto",
          approval: "auto",
          toolChoice: "auto",
          tools: ["run_command"],
          alwaysAllowedTools: [],
          onWorkers: true,
        },
      });
      ids.push(run.id);
    };
    const rate = options.arrivalsPerSecond;
    if (rate <= 0) for (let index = 0; index < options.runs; index++) await queueRun(index);
    for (let index = 0; index < options.workers; index++) startWorker();
    // At a steady rate, from the moment the workers start: the queue wait is then the time a run waited for one.
    const arrivals = (async () => {
      if (rate <= 0) return;
      const from = Date.now();
      for (let index = 0; index < options.runs; index++) {
        await sleep(Math.max(0, from + (index * 1000) / rate - Date.now()));
        await queueRun(index);
      }
    })();
    let allQueued = rate <= 0;
    void arrivals.then(() => {
      allQueued = true;
    });
    const deadline = started + (options.timeoutMilliseconds ?? 10 * 60_000);
    const runtime = createRuntime({
      store,
      resolveModel: async () => {
        throw new Error("the campaign only answers approvals; workers execute the runs");
      },
    });
    let lastKill = Date.now();
    let interruptedCalls = 0;
    const denied = new Set<string>();
    while (Date.now() < deadline) {
      // Read before the runs: a run queued while they are read is then never missing from the snapshot judged done.
      const queuedAll = allQueued;
      const runs = await Promise.all(ids.map(async (id) => (await store.getRun(id))!));
      const open = runs.filter((run) => run.status !== "succeeded");
      if (queuedAll && open.length === 0) break;
      // A call a kill interrupted waits for a person: the campaign denies it (never re-runs it), so the run ends.
      for (const run of open.filter(
        (candidate) => candidate.status === "awaiting_approval" && !denied.has(candidate.id),
      )) {
        denied.add(run.id);
        interruptedCalls += 1;
        await approveRun(runtime, run.id, { approve: false });
      }
      // Not before the last replacement claims runs: on a loaded machine kills would otherwise outpace restarts.
      const allReady = live.every((worker) => worker.isReady);
      if (allReady && Date.now() - lastKill >= options.killEveryMilliseconds) {
        lastKill = Date.now();
        // One executing a run when there is one: a kill of an idle worker tests nothing of the takeover.
        const running = new Set(runs.filter((run) => run.status === "running").map((run) => run.id));
        const busy = live.filter((worker) => [...worker.claimed].some((id) => running.has(id)));
        const pool = busy.length > 0 ? busy : live;
        const victim = pool[Math.floor(Math.random() * pool.length)]!;
        live.splice(live.indexOf(victim), 1);
        victim.kill("SIGKILL");
        killedLogs.push((await victim.result).stderr);
        kills += 1;
        startWorker();
        options.onProgress?.(`kill ${kills}: ${runs.length - open.length}/${runs.length} runs succeeded`);
      }
      await sleep(100);
    }
    await arrivals;
    const finishedAt = Date.now();
    for (const worker of live.splice(0)) {
      await worker.ready;
      worker.kill("SIGTERM");
      stopped.push(worker);
    }
    const stops = await Promise.all(stopped.map((worker) => worker.result));
    const runs = await Promise.all(ids.map(async (id) => (await store.getRun(id))!));
    const notSucceeded = runs.filter((run) => run.status !== "succeeded").map((run) => `${run.id} ${run.status}`);
    const lines = existsSync(sideEffects) ? readFileSync(sideEffects, "utf8").split("\n").filter(Boolean) : [];
    const repeatedSideEffects = lines.length - new Set(lines).size;
    const waits = (await Promise.all(runs.map((run) => queueWait(store, run)))).sort((a, b) => a - b);
    const { failures: ledgerFailures, ...ledger } = await compareLedgerWithBill(store, ids, billedByRequestId);
    const logs = [...killedLogs, ...stops.map((stop) => stop.stderr)];
    const takeovers = logs.reduce((total, log) => total + (log.match(/taken over/g)?.length ?? 0), 0);
    const uncleanStops = stops.filter((stop) => stop.exitCode !== 0).length;
    if (notSucceeded.length > 0) {
      failures.push(`${notSucceeded.length} run(s) did not succeed: ${notSucceeded.slice(0, 5).join(", ")}`);
    }
    if (repeatedSideEffects > 0) failures.push(`${repeatedSideEffects} side effect(s) repeated`);
    if (concurrentExecutions > 0) failures.push(`${concurrentExecutions} model call(s) of a run already executing`);
    failures.push(...ledgerFailures);
    if (requestsWithoutId > 0) failures.push(`${requestsWithoutId} model request(s) carried no ${callRequestIdHeader}`);
    for (const stop of stops.filter((candidate) => candidate.exitCode !== 0)) {
      failures.push(`a worker exited ${stop.exitCode} on SIGTERM: ${stop.stderr.split("\n").slice(-4).join(" | ")}`);
    }
    const seconds = (finishedAt - started) / 1000;
    return {
      store: options.store,
      runs: runs.length,
      succeeded: runs.length - notSucceeded.length,
      interruptedCalls,
      notSucceeded,
      kills,
      takeovers,
      sideEffectLines: lines.length,
      repeatedSideEffects,
      concurrentExecutions,
      uncleanStops,
      ledgerUsd: ledger.ledgerUsd,
      upstreamBilledUsd: ledger.billedUsd,
      ledger,
      runsPerSecond: Math.round((runs.length / seconds) * 10) / 10,
      queueWaitMilliseconds: {
        p50: percentile(waits, 0.5),
        p99: percentile(waits, 0.99),
        max: waits.at(-1) ?? 0,
      },
      seconds: Math.round(seconds),
      failures,
    };
  } finally {
    for (const worker of live) worker.kill("SIGKILL");
    await Promise.all([...live, ...stopped].map((worker) => worker.result));
    await store.close();
    await server.close();
    if (ownPostgres && !("unavailable" in ownPostgres)) ownPostgres.stop();
    rmSync(folder, { recursive: true, force: true });
  }
}

/** From the run's creation to its first `running` status event: how long it waited for a worker. */
async function queueWait(store: Store, run: RunRecord): Promise<number> {
  const events = await store.listEvents(run.id);
  const running = events.find(
    (event) => event.type === "status" && (event.data as { status?: string }).status === "running",
  );
  return running ? Date.parse(running.at) - Date.parse(run.createdAt) : Number.NaN;
}

const percentile = (sorted: number[], fraction: number): number =>
  sorted.length === 0 ? 0 : sorted[Math.min(sorted.length - 1, Math.ceil(fraction * sorted.length) - 1)]!;

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const number = (name: string, fallback: number) => Number(process.env[name] ?? fallback);
  // WORKERS_STORE=sqlite or postgres runs one; unset, both, one after the other.
  const chosen = process.env.WORKERS_STORE as WorkersStore | undefined;
  if (chosen && chosen !== "sqlite" && chosen !== "postgres") {
    throw new Error(`WORKERS_STORE is "${chosen}"; use sqlite, postgres, or leave it unset to run both`);
  }
  const stores: WorkersStore[] = chosen ? [chosen] : ["sqlite", "postgres"];
  const reports: WorkersCampaignReport[] = [];
  for (const store of stores) {
    reports.push(
      await runWorkersCampaign({
        store,
        runs: number("WORKERS_RUNS", 300),
        workers: number("WORKERS_PROCESSES", 3),
        concurrency: number("WORKERS_CONCURRENCY", 8),
        killEveryMilliseconds: number("WORKERS_KILL_EVERY_MS", 10_000),
        latencyMilliseconds: [50, 200],
        arrivalsPerSecond: number("WORKERS_ARRIVALS_PER_SECOND", 5),
        onProgress: (line) => process.stderr.write(`${store}: ${line}\n`),
      }),
    );
  }
  process.stdout.write(`${JSON.stringify(reports, null, 2)}\n`);
  process.exitCode = reports.every((report) => report.failures.length === 0) ? 0 : 1;
}
