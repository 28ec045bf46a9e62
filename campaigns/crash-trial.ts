import { existsSync, mkdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { type CliResult, runCli, spawnCli } from "../test/support/cli-process.ts";
import type { DeepSeekServer } from "../test/support/deepseek-server/index.ts";
import { type CrashDatabase, trialFailures } from "./crash-checks.ts";
import {
  appendedFile,
  crashApiKey,
  crashModel,
  startCrashUpstream,
  upstreamBilledUsd,
  writtenContent,
  writtenFile,
} from "./crash-upstream.ts";

/** When the CLI is killed: at a random moment, or the moment a side effect or a commit lands, or mid-stream. */
export const killMoments = ["random", "appended", "written", "step-committed", "mid-stream"] as const;
export type KillMoment = (typeof killMoments)[number];

export interface TrialResult {
  moment: KillMoment;
  /** False when the run ended before the moment came (the kill then hit nothing). */
  killed: boolean;
  /** False when the run row was not written when the kill came; the run was then started again. */
  runExisted: boolean;
  resumes: number;
  approved: number;
  denied: number;
  /** Tool calls found started-but-unfinished after the kill. */
  interruptedCalls: number;
  ledgerUsd: string;
  upstreamBilledUsd: string;
  failures: string[];
}

const sleep = (milliseconds: number) => new Promise((resolve) => setTimeout(resolve, milliseconds));
const maximumRounds = 8;

/** One run of the real CLI, killed once with SIGKILL, then resumed (and approved where it waits) to the end. */
export async function runCrashTrial(options: {
  home: string;
  workspace: string;
  database: CrashDatabase;
  knownRuns: Set<string>;
  moment: KillMoment;
  random: () => number;
}): Promise<TrialResult> {
  const { home, workspace, database, knownRuns, moment, random } = options;
  mkdirSync(workspace, { recursive: true });
  const upstream = await startCrashUpstream();
  const env = { TANSUO_HOME: home, DEEPSEEK_API_KEY: crashApiKey, TANSUO_RETRY_SCALE: "0.01" };
  const cli = (args: string[]): Promise<CliResult> => runCli(args, { env, cwd: workspace });
  const runArgs = ["run", "--model", crashModel, "--base-url", upstream.url, "--approval", "auto", "--json"];
  const result: TrialResult = {
    moment,
    killed: false,
    runExisted: true,
    resumes: 0,
    approved: 0,
    denied: 0,
    interruptedCalls: 0,
    ledgerUsd: "0",
    upstreamBilledUsd: "0",
    failures: [],
  };
  try {
    const child = spawnCli([...runArgs, "append a line, write a file, then answer"], { env, cwd: workspace });
    let exited = false;
    void child.result.then(() => {
      exited = true;
    });
    let runId: string | undefined;
    const trigger = killTrigger(moment, { workspace, database, upstream, random, runId: () => runId });
    while (!exited) {
      runId ??= database.newRun(knownRuns);
      if (await trigger()) {
        result.killed = child.kill("SIGKILL");
        break;
      }
      await sleep(3);
    }
    await child.result;
    runId ??= database.newRun(knownRuns);
    if (!runId) {
      result.runExisted = false;
      await cli([...runArgs, "append a line, write a file, then answer"]);
      runId = database.newRun(knownRuns);
    }
    if (!runId) return { ...result, failures: ["no run was created"] };
    knownRuns.add(runId);
    result.interruptedCalls = database.waitingCalls(runId).filter((call) => call.status === "started").length;
    await finishRun(runId, { cli, database, workspace, result });
    result.upstreamBilledUsd = upstreamBilledUsd(upstream.requests);
    result.ledgerUsd = database.money(runId)?.ledgerUsd ?? "0";
    result.failures = trialFailures({ database, runId, workspace, upstreamBilledUsd: result.upstreamBilledUsd });
    return result;
  } finally {
    await upstream.close();
  }
}

/** Resumes under --approval auto; where the run waits on an interrupted call, answers as a careful person would. */
async function finishRun(
  runId: string,
  context: {
    cli: (args: string[]) => Promise<CliResult>;
    database: CrashDatabase;
    workspace: string;
    result: TrialResult;
  },
): Promise<void> {
  const { cli, database, result } = context;
  for (let round = 0; round < maximumRounds; round++) {
    const status = database.status(runId);
    if (status === "succeeded") return;
    if (status !== "awaiting_approval") {
      result.resumes += 1;
      await cli(["resume", runId, "--approval", "auto", "--json"]);
      continue;
    }
    const [call] = database.waitingCalls(runId);
    if (!call) {
      result.resumes += 1;
      await cli(["resume", runId, "--approval", "auto", "--json"]);
      continue;
    }
    // Re-run the call only if its effect is not there: the person looks before answering.
    const done = effectPresent(call.toolName, context.workspace);
    if (done) result.denied += 1;
    else result.approved += 1;
    await cli(["approve", runId, "--call", call.callId, ...(done ? ["--deny"] : []), "--json"]);
  }
  result.failures.push(`the run did not finish within ${maximumRounds} resumes`);
}

function effectPresent(toolName: string, workspace: string): boolean {
  const file = path.join(workspace, toolName === "run_command" ? appendedFile : writtenFile);
  if (!existsSync(file)) return false;
  const content = readFileSync(file, "utf8");
  return toolName === "run_command" ? content.includes("line") : content === writtenContent;
}

/** A check, polled every few milliseconds, that says when to kill. */
function killTrigger(
  moment: KillMoment,
  context: {
    workspace: string;
    database: CrashDatabase;
    upstream: DeepSeekServer;
    random: () => number;
    runId: () => string | undefined;
  },
): () => Promise<boolean> {
  const { workspace, database, upstream, random } = context;
  switch (moment) {
    case "random": {
      // Timed from when the run row appears (the CLI's start takes 1-2 s on a busy machine and holds no state);
      // the run's three model calls and two tools then take well under a second.
      const delay = random() * 700;
      let seenAt: number | undefined;
      return async () => {
        if (context.runId() === undefined) return false;
        seenAt ??= Date.now();
        return Date.now() >= seenAt + delay;
      };
    }
    case "appended":
      return async () => existsSync(path.join(workspace, appendedFile));
    case "written":
      return async () => existsSync(path.join(workspace, writtenFile));
    case "step-committed": {
      const steps = 1 + Math.floor(random() * 2);
      return async () => {
        const runId = context.runId();
        return runId !== undefined && database.stepCount(runId) >= steps;
      };
    }
    case "mid-stream": {
      const delay = random() * 300;
      return async () => {
        const chat = upstream.requests.filter((request) => request.path.endsWith("/chat/completions"));
        if (chat.length < 3 || chat[2]?.status !== 200) return false;
        await sleep(delay);
        return true;
      };
    }
  }
}
