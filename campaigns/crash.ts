import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { Usd } from "../src/cost/usd.ts";
import { CrashDatabase } from "./crash-checks.ts";
import { type KillMoment, killMoments, runCrashTrial, type TrialResult } from "./crash-trial.ts";

export interface CrashCampaignOptions {
  /** How many SIGKILLs that land (one per run); a kill that comes after its run ended is tried again. */
  kills: number;
  /** Seeds the random moments, so a run of the campaign can be repeated. */
  seed?: number;
  onTrial?: (index: number, trial: TrialResult) => void;
}

export interface CrashCampaignReport {
  /** Runs of the CLI, each killed once (or missed, when it ended first) and resumed to the end. */
  runs: number;
  seed: number;
  /** Kills that landed, by moment. */
  byMoment: Record<KillMoment, number>;
  killsThatLanded: number;
  killedBeforeTheRunExisted: number;
  interruptedCalls: number;
  approved: number;
  denied: number;
  resumes: number;
  ledgerUsd: string;
  upstreamBilledUsd: string;
  integrityFailures: number;
  /** Trials where anything did not hold; zero when the campaign found nothing. */
  failedTrials: number;
  failures: { trial: number; moment: KillMoment; failures: string[] }[];
  seconds: number;
}

// A small seeded generator (mulberry32): the same seed gives the same kill moments.
function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let value = Math.imul(state ^ (state >>> 15), 1 | state);
    value = (value + Math.imul(value ^ (value >>> 7), 61 | value)) ^ value;
    return ((value ^ (value >>> 14)) >>> 0) / 4_294_967_296;
  };
}

const maximumAttempts = 3;

/** The moment of each kill: each targeted moment once first, then a random moment and a targeted one in turn. */
const momentOf = (index: number): KillMoment => {
  const targeted = killMoments.filter((moment) => moment !== "random");
  if (index < targeted.length) return targeted[index]!;
  const rest = index - targeted.length;
  return rest % 2 === 0 ? "random" : targeted[Math.floor(rest / 2) % targeted.length]!;
};

/**
 * SIGKILLs the real CLI during runs of a task with side effects (a line appended by run_command, a file written
 * by write_file, a streamed answer), all on one database, and resumes each run to the end. After each: the
 * database passes integrity_check, no side effect happened twice, the ledger is not below what the upstream
 * billed, and the run's total equals its steps' sum and its ledger rows' sum.
 */
export async function runCrashCampaign(options: CrashCampaignOptions): Promise<CrashCampaignReport> {
  const seed = options.seed ?? Date.now() % 1_000_000;
  const random = seededRandom(seed);
  const folder = mkdtempSync(path.join(tmpdir(), "tansuo-crash-"));
  const home = path.join(folder, "home");
  mkdirSync(home);
  const database = new CrashDatabase(path.join(home, "tansuo.db"));
  const knownRuns = new Set<string>();
  const started = Date.now();
  const trials: TrialResult[] = [];
  try {
    for (let index = 0; index < options.kills; index++) {
      // A kill that comes after the run ended hits nothing: that run still counts, and the kill is tried again.
      for (let attempt = 0; attempt < maximumAttempts; attempt++) {
        const trial = await runCrashTrial({
          home,
          workspace: path.join(folder, `workspace-${index}-${attempt}`),
          database,
          knownRuns,
          moment: momentOf(index),
          random,
        });
        trials.push(trial);
        options.onTrial?.(index, trial);
        if (trial.killed) break;
      }
    }
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }
  const sum = (pick: (trial: TrialResult) => number) => trials.reduce((total, trial) => total + pick(trial), 0);
  const usd = (pick: (trial: TrialResult) => string) => Usd.sum(trials.map(pick));
  const byMoment = Object.fromEntries(killMoments.map((moment) => [moment, 0])) as Record<KillMoment, number>;
  for (const trial of trials) if (trial.killed) byMoment[trial.moment] += 1;
  const failures = trials
    .map((trial, index) => ({ trial: index, moment: trial.moment, failures: trial.failures }))
    .filter((entry) => entry.failures.length > 0);
  return {
    runs: trials.length,
    seed,
    byMoment,
    killsThatLanded: trials.filter((trial) => trial.killed).length,
    killedBeforeTheRunExisted: trials.filter((trial) => !trial.runExisted).length,
    interruptedCalls: sum((trial) => trial.interruptedCalls),
    approved: sum((trial) => trial.approved),
    denied: sum((trial) => trial.denied),
    resumes: sum((trial) => trial.resumes),
    ledgerUsd: usd((trial) => trial.ledgerUsd),
    upstreamBilledUsd: usd((trial) => trial.upstreamBilledUsd),
    integrityFailures: trials.filter((trial) => trial.failures.some((failure) => failure.startsWith("integrity")))
      .length,
    failedTrials: failures.length,
    failures,
    seconds: Math.round((Date.now() - started) / 1000),
  };
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const kills = Number(process.env.CRASH_KILLS ?? 50);
  const seed = process.env.CRASH_SEED === undefined ? undefined : Number(process.env.CRASH_SEED);
  const report = await runCrashCampaign({
    kills,
    seed,
    onTrial: (index, trial) =>
      process.stderr.write(
        `kill ${index + 1}/${kills} ${trial.moment.padEnd(14)} ${trial.killed ? "landed" : "missed"} ` +
          `${trial.runExisted ? "" : "before-the-run "}interrupted=${trial.interruptedCalls} ${trial.failures.length === 0 ? "ok" : trial.failures.join("; ")}\n`,
      ),
  });
  process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
  process.exitCode = report.failedTrials === 0 ? 0 : 1;
}
