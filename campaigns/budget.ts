// campaign:budget: concurrent agent runs and chat completions on one key, through several gateways on one SQLite
// file (in one process, and as separate `tansuo serve` processes), at several budget sizes. The key's spend must
// never pass its budget, the ledger must equal what the provider billed and what the steps and requests add up to,
// and no hold may outlive its call; a gateway killed with holds open must not keep them.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";
import Database from "better-sqlite3";
import { Usd } from "../src/cost/usd.ts";
import { issueApiKey } from "../src/server/index.ts";
import { finishedStatuses } from "../src/store/records.ts";
import { SqliteStore } from "../src/store/sqlite-store.ts";
import { databaseFile, type GatewayHandle, gatewayConfig, startGateways, type Topology } from "./budget-gateways.ts";
import { type BillingUpstream, startBillingUpstream } from "./budget-upstream.ts";

export interface BudgetCampaignOptions {
  budgets?: string[];
  topologies?: Topology[];
  /** Gateways sharing the database in each scenario. */
  gateways?: number;
  /** Agent runs started at once per scenario (POST /v1/runs). */
  runs?: number;
  /** Chat completions sent at the same time as the runs, a third of them streamed. */
  completions?: number;
  /** The model's default output allowances tried (32768 is deepseek-v4-flash's): the larger, the more one call holds. */
  outputTokens?: number[];
  /** Kill one gateway process while its requests hold money, and check that the holds do not outlive it. */
  crash?: boolean;
  seed?: number;
  onScenario?: (scenario: ScenarioReport) => void;
}

export interface CrashReport {
  heldBeforeKillUsd: string;
  heldAfterKillUsd: string;
  /** A request through the surviving gateway, after the kill, on the same key. */
  survivorStatus: number;
}

export interface ScenarioReport {
  topology: Topology;
  gateways: number;
  outputTokens: number;
  budgetUsd: string;
  requests: number;
  runsStarted: number;
  runsRefusedAtStart: number;
  runsSucceeded: number;
  runsBudgetExhausted: number;
  runsOther: number;
  completionsAnswered: number;
  completionsRefused: number;
  otherAnswers: number;
  upstreamCalls: number;
  invoiceUsd: string;
  ledgerUsd: string;
  spentUsd: string;
  stepsAndRequestsUsd: string;
  spentToBudget: number;
  openHolds: number;
  crash?: CrashReport;
  escapes: string[];
  seconds: number;
}

export interface BudgetReport {
  scenarios: ScenarioReport[];
  requests: number;
  refused: number;
  maximumSpentToBudget: number;
  escapes: string[];
  durationSeconds: number;
}

const defaultBudgets = ["0.0005", "0.001", "0.003", "0.01", "0.05"];

/** Runs every (topology, budget) scenario; `escapes` must be empty. */
export async function runBudgetCampaign(options: BudgetCampaignOptions = {}): Promise<BudgetReport> {
  const started = Date.now();
  const random = seededRandom(options.seed ?? 8);
  const scenarios: ScenarioReport[] = [];
  for (const topology of options.topologies ?? ["gateways-in-one-process", "gateway-processes"]) {
    for (const outputTokens of options.outputTokens ?? [1024]) {
      for (const budgetUsd of options.budgets ?? defaultBudgets) {
        const scenario = await runScenario(topology, budgetUsd, outputTokens, options, random);
        scenarios.push(scenario);
        options.onScenario?.(scenario);
      }
    }
  }
  return {
    scenarios,
    requests: sum(scenarios.map((scenario) => scenario.requests)),
    refused: sum(scenarios.map((scenario) => scenario.runsRefusedAtStart + scenario.completionsRefused)),
    maximumSpentToBudget: Math.max(...scenarios.map((scenario) => scenario.spentToBudget)),
    escapes: scenarios.flatMap((scenario) =>
      scenario.escapes.map(
        (found) => `${scenario.topology}, ${scenario.outputTokens} output tokens, $${scenario.budgetUsd}: ${found}`,
      ),
    ),
    durationSeconds: Math.round((Date.now() - started) / 100) / 10,
  };
}

async function runScenario(
  topology: Topology,
  budgetUsd: string,
  outputTokens: number,
  options: BudgetCampaignOptions,
  random: () => number,
): Promise<ScenarioReport> {
  const started = Date.now();
  const home = mkdtempSync(path.join(tmpdir(), "tansuo-budget-"));
  const upstream = await startBillingUpstream(random);
  const store = new SqliteStore(databaseFile(home));
  const gateways: GatewayHandle[] = [];
  try {
    const key = await issueApiKey(store, { name: "contended", budgetUsd });
    const spare = await issueApiKey(store, { name: "crash", budgetUsd: "0.01" });
    const config = gatewayConfig(upstream.server.url, outputTokens);
    gateways.push(...(await startGateways(topology, home, options.gateways ?? 2, config)));
    const answers = await fireConcurrently(gateways, key.key, options.runs ?? 50, options.completions ?? 30, random);
    await waitForRuns(store, key.record.id);
    await waitForHoldsToSettle(home);
    const scenario = await measure(store, home, key.record.id, budgetUsd, upstream, answers);
    const crash =
      options.crash && topology === "gateway-processes" && gateways.length > 1
        ? await crashWithHoldsOpen(store, gateways, spare, upstream)
        : undefined;
    const escapes = [...scenario.escapes];
    if (crash && crash.heldAfterKillUsd !== "0") {
      escapes.push(`$${crash.heldAfterKillUsd} stayed held after the gateway that held it was killed`);
    }
    if (crash && crash.heldBeforeKillUsd === "0") escapes.push("the crash phase held nothing, so it tested nothing");
    if (crash && crash.survivorStatus !== 200) escapes.push(`after the kill the key answered ${crash.survivorStatus}`);
    return {
      ...scenario,
      topology,
      gateways: gateways.length,
      outputTokens,
      crash,
      escapes,
      seconds: Math.round((Date.now() - started) / 100) / 10,
    };
  } finally {
    await Promise.all(gateways.map((gateway) => gateway.close()));
    store.close();
    await upstream.close();
    rmSync(home, { recursive: true, force: true });
  }
}

interface Answers {
  runs: number[];
  completions: number[];
}

async function fireConcurrently(
  gateways: GatewayHandle[],
  key: string,
  runs: number,
  completions: number,
  random: () => number,
): Promise<Answers> {
  const post = (gateway: GatewayHandle, route: string, body: unknown) =>
    fetch(`${gateway.url}${route}`, {
      method: "POST",
      headers: { authorization: `Bearer ${key}`, "content-type": "application/json" },
      body: JSON.stringify(body),
    }).then(async (response) => {
      await response.text();
      return response.status;
    });
  const pick = () => gateways[Math.floor(random() * gateways.length)]!;
  const runAnswers = Array.from({ length: runs }, (_, index) =>
    post(pick(), "/v1/runs", { agent: "lister", task: `List the files (${index}).` }),
  );
  const completionAnswers = Array.from({ length: completions }, (_, index) =>
    post(pick(), "/v1/chat/completions", {
      model: "deepseek-v4-flash",
      messages: [{ role: "user", content: `Say hello (${index}).` }],
      ...(random() < 0.5 ? { max_tokens: 64 + Math.floor(random() * 400) } : {}),
      ...(index % 3 === 0 ? { stream: true, stream_options: { include_usage: true } } : {}),
    }),
  );
  return { runs: await Promise.all(runAnswers), completions: await Promise.all(completionAnswers) };
}

/** Runs go on in the background after their 201: wait until each has ended (or waits for a person). */
async function waitForRuns(store: SqliteStore, keyId: string): Promise<void> {
  const deadline = Date.now() + 120_000;
  while (Date.now() < deadline) {
    const open = (await store.listRuns({ ownerKeyId: keyId, limit: 10_000 })).filter(
      (run) => !finishedStatuses.includes(run.status) && run.status !== "awaiting_approval",
    );
    if (open.length === 0) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error("runs did not end within 120 s");
}

/**
 * A streamed answer's ledger row is written just after its last byte is sent, so a client can read the database a
 * moment before it lands: give every gateway a moment to settle its holds (a hold that stays is reported).
 */
async function waitForHoldsToSettle(home: string): Promise<void> {
  const database = new Database(databaseFile(home), { readonly: true });
  try {
    const count = database.prepare("SELECT COUNT(*) AS count FROM budget_holds");
    const deadline = Date.now() + 5_000;
    while ((count.get() as { count: number }).count > 0 && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  } finally {
    database.close();
  }
}

/** Slow requests hold money on the first gateway; it is killed; the holds must be gone at the next read. */
async function crashWithHoldsOpen(
  store: SqliteStore,
  gateways: GatewayHandle[],
  spare: { key: string; record: { id: string } },
  upstream: BillingUpstream,
): Promise<CrashReport> {
  const [victim, survivor] = gateways as [GatewayHandle, GatewayHandle];
  const account = { kind: "key" as const, id: spare.record.id };
  const request = (gateway: GatewayHandle, content: string) =>
    fetch(`${gateway.url}/v1/chat/completions`, {
      method: "POST",
      headers: { authorization: `Bearer ${spare.key}`, "content-type": "application/json" },
      body: JSON.stringify({ model: "deepseek-v4-flash", max_tokens: 100, messages: [{ role: "user", content }] }),
    });
  const slowBefore = upstream.slowCalls();
  const doomed = [0, 1, 2].map((index) => request(victim, `[slow] hold ${index}`).catch(() => undefined));
  const deadline = Date.now() + 20_000;
  while (upstream.slowCalls() < slowBefore + doomed.length && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  const heldBeforeKillUsd = (await store.budgetStandings([account]))[0]!.heldUsd;
  await victim.kill?.();
  await Promise.all(doomed);
  const heldAfterKillUsd = (await store.budgetStandings([account]))[0]!.heldUsd;
  const survivorAnswer = await request(survivor, "After the crash.");
  await survivorAnswer.text();
  return { heldBeforeKillUsd, heldAfterKillUsd, survivorStatus: survivorAnswer.status };
}

async function measure(
  store: SqliteStore,
  home: string,
  keyId: string,
  budgetUsd: string,
  upstream: BillingUpstream,
  answers: Answers,
): Promise<Omit<ScenarioReport, "topology" | "gateways" | "outputTokens" | "seconds" | "crash">> {
  const escapes: string[] = [];
  const database = new Database(databaseFile(home), { readonly: true });
  let ledgerRows: { cost_usd: string; run_id: string | null }[];
  let openHolds: number;
  try {
    ledgerRows = database
      .prepare("SELECT cost_usd, run_id FROM ledger WHERE key_id = ?")
      .all(keyId) as typeof ledgerRows;
    openHolds = (database.prepare("SELECT COUNT(*) AS count FROM budget_holds").get() as { count: number }).count;
  } finally {
    database.close();
  }
  const runs = await store.listRuns({ ownerKeyId: keyId, limit: 10_000 });
  const ledger = Usd.sum(ledgerRows.map((row) => row.cost_usd));
  const requests = Usd.sum(ledgerRows.filter((row) => row.run_id === null).map((row) => row.cost_usd));
  const stepCosts: string[] = [];
  for (const run of runs) for (const step of await store.listSteps(run.id)) stepCosts.push(step.costUsd);
  const steps = Usd.sum(stepCosts);
  const runTotals = Usd.sum(runs.map((run) => run.costUsd));
  const spentUsd = await store.spentByKey(keyId);
  const invoice = upstream.invoiceUsd();
  const stepsAndRequests = Usd.add(steps, requests);

  if (Usd.compare(spentUsd, budgetUsd) > 0) escapes.push(`spent $${spentUsd} of a $${budgetUsd} budget`);
  if (!Usd.equals(ledger, invoice)) escapes.push(`ledger $${ledger} but the provider billed $${invoice}`);
  if (!Usd.equals(ledger, stepsAndRequests)) {
    escapes.push(`ledger $${ledger} but steps and requests add up to $${stepsAndRequests}`);
  }
  if (!Usd.equals(ledger, spentUsd)) escapes.push(`ledger $${ledger} but the key's spent_usd is $${spentUsd}`);
  if (!Usd.equals(runTotals, steps)) escapes.push(`runs total $${runTotals} but their steps $${steps}`);
  if (openHolds > 0) escapes.push(`${openHolds} hold row(s) left open after every call ended`);
  const statuses = [...answers.runs, ...answers.completions];
  const other = statuses.filter((status) => ![200, 201, 402].includes(status));
  if (other.length > 0) escapes.push(`answers other than 200/201/402: ${other.join(", ")}`);
  const failed = runs.filter((run) => run.status !== "succeeded" && run.status !== "budget_exhausted");
  for (const run of failed.slice(0, 3)) escapes.push(`run ${run.id} ended ${run.status}: ${run.error}`);

  return {
    budgetUsd,
    requests: statuses.length,
    runsStarted: answers.runs.filter((status) => status === 201).length,
    runsRefusedAtStart: answers.runs.filter((status) => status === 402).length,
    runsSucceeded: runs.filter((run) => run.status === "succeeded").length,
    runsBudgetExhausted: runs.filter((run) => run.status === "budget_exhausted").length,
    runsOther: failed.length,
    completionsAnswered: answers.completions.filter((status) => status === 200).length,
    completionsRefused: answers.completions.filter((status) => status === 402).length,
    otherAnswers: other.length,
    upstreamCalls: upstream.billedCalls(),
    invoiceUsd: invoice,
    ledgerUsd: ledger,
    spentUsd,
    stepsAndRequestsUsd: stepsAndRequests,
    spentToBudget: Usd.ratio(spentUsd, budgetUsd, 4),
    openHolds,
    escapes,
  };
}

const sum = (values: number[]): number => values.reduce((total, value) => total + value, 0);

/** mulberry32: the same seed gives the same mix of requests, answer lengths and delays. */
function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let mixed = Math.imul(state ^ (state >>> 15), 1 | state);
    mixed = (mixed + Math.imul(mixed ^ (mixed >>> 7), 61 | mixed)) ^ mixed;
    return ((mixed ^ (mixed >>> 14)) >>> 0) / 4_294_967_296;
  };
}

function printReport(report: BudgetReport): void {
  const rows = report.scenarios.map((scenario) => ({
    topology: scenario.topology,
    output: scenario.outputTokens,
    budget: `$${scenario.budgetUsd}`,
    requests: scenario.requests,
    "runs ok/exhausted/402": `${scenario.runsSucceeded}/${scenario.runsBudgetExhausted}/${scenario.runsRefusedAtStart}`,
    "completions ok/402": `${scenario.completionsAnswered}/${scenario.completionsRefused}`,
    "upstream calls": scenario.upstreamCalls,
    spent: `$${scenario.spentUsd}`,
    "spent/budget": scenario.spentToBudget,
    "ledger = invoice": scenario.ledgerUsd === scenario.invoiceUsd,
    "ledger = steps+requests": scenario.ledgerUsd === scenario.stepsAndRequestsUsd,
    crash: scenario.crash
      ? `held $${scenario.crash.heldBeforeKillUsd} -> $${scenario.crash.heldAfterKillUsd}, then ${scenario.crash.survivorStatus}`
      : "",
    seconds: scenario.seconds,
  }));
  console.table(rows);
  console.log(
    JSON.stringify(
      {
        scenarios: report.scenarios.length,
        requests: report.requests,
        refused: report.refused,
        maximumSpentToBudget: report.maximumSpentToBudget,
        escapes: report.escapes,
        durationSeconds: report.durationSeconds,
      },
      null,
      2,
    ),
  );
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const report = await runBudgetCampaign({ crash: true, outputTokens: [1024, 32768] });
  printReport(report);
  process.exitCode = report.escapes.length === 0 ? 0 : 1;
}
