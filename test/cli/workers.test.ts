import { existsSync, mkdirSync, readFileSync, rmSync } from "node:fs";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { SqliteStore } from "../../src/store/sqlite-store.ts";
import { cliSandbox, runCli, spawnCli, waitFor } from "../support/cli-process.ts";
import { type RecordedRequest, startDeepSeekServer } from "../support/deepseek-server/index.ts";

const apiKey = "sk-workers-000333";
const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

const runCount = 10;
const modelDelayMilliseconds = 300;
const tokenOf = (request: RecordedRequest) => /effect-\d+/.exec(JSON.stringify(request.body))?.[0];

describe("tansuo worker (issue 13)", () => {
  it("executes queued runs on two workers, and a SIGKILLed worker's runs are resumed by another without repeating a side effect", async () => {
    const sandbox = cliSandbox();
    mkdirSync(sandbox.workspace, { recursive: true });
    const sideEffects = path.join(sandbox.workspace, "side-effects.txt");
    // A run's model call arriving while an earlier call of the same run is still unanswered: two executors at once.
    const overlaps: string[] = [];
    const server = await startDeepSeekServer({
      apiKey,
      fallback: (request) => {
        const token = tokenOf(request) ?? "unknown";
        const pending = server.requests.filter(
          (other) => other !== request && tokenOf(other) === token && other.status === undefined && !other.disconnected,
        );
        if (pending.length > 0) overlaps.push(token);
        const messages = (request.body as { messages: { role: string }[] }).messages;
        if (messages.some((message) => message.role === "tool")) {
          return { content: `done ${token}`, delayMs: modelDelayMilliseconds };
        }
        return {
          toolCalls: [{ name: "run_command", arguments: { command: `echo ${token} >> side-effects.txt` } }],
          delayMs: modelDelayMilliseconds,
        };
      },
    });
    const workers: ReturnType<typeof spawnCli>[] = [];
    cleanups.push(
      () => server.close(),
      () => rmSync(sandbox.folder, { recursive: true, force: true }),
      async () => {
        for (const worker of workers)
          if (worker.exitCode === null && worker.signalCode === null) worker.kill("SIGKILL");
        await Promise.all(workers.map((worker) => worker.result));
      },
    );
    const env = { TANSUO_HOME: sandbox.home, DEEPSEEK_API_KEY: apiKey, TANSUO_RETRY_SCALE: "0.01" };
    const startWorker = () => {
      const worker = spawnCli(["worker", "--concurrency", "2"], { env, cwd: sandbox.workspace });
      workers.push(worker);
      return worker;
    };
    const lines = () => (existsSync(sideEffects) ? readFileSync(sideEffects, "utf8").split("\n").filter(Boolean) : []);

    const queued = await Promise.all(
      Array.from({ length: runCount }, (_, index) =>
        runCli(
          [
            "run",
            "--queue",
            "--json",
            "--model",
            "deepseek-v4-flash",
            "--base-url",
            server.url,
            "--approval",
            "auto",
          ].concat(["--max-steps", "5", `effect-${index}`]),
          { env, cwd: sandbox.workspace },
        ),
      ),
    );
    for (const result of queued) expect(result.exitCode).toBe(0);
    const ids = queued.map((result) => JSON.parse(result.stdout).id as string);
    expect(queued.map((result) => JSON.parse(result.stdout).status)).toEqual(Array(runCount).fill("queued"));
    // Queued means not executed: no model call was made by `run --queue`.
    expect(server.requests.length).toBe(0);

    const killed = startWorker();
    const survivor = startWorker();
    await waitFor(() => lines().length >= 3, 30_000);
    // Mid-way: the workers have runs waiting on their next model call.
    await new Promise((resolve) => setTimeout(resolve, modelDelayMilliseconds / 3));
    killed.kill("SIGKILL");
    await killed.result;
    const replacement = startWorker();

    const store = new SqliteStore(path.join(sandbox.home, "tansuo.db"));
    cleanups.push(() => store.close());
    const settled = async () => {
      const runs = await Promise.all(ids.map((id) => store.getRun(id)));
      return runs.every((run) => run?.status === "succeeded" || run?.status === "awaiting_approval");
    };
    let done = false;
    await waitFor(() => {
      void settled().then((value) => {
        done = value;
      });
      return done;
    }, 40_000);

    survivor.kill("SIGTERM");
    replacement.kill("SIGTERM");
    const [survivorResult, replacementResult] = await Promise.all([survivor.result, replacement.result]);
    expect(survivorResult.exitCode).toBe(0);
    expect(replacementResult.exitCode).toBe(0);
    expect(replacementResult.stderr).toContain("worker stopped after");

    const runs = await Promise.all(ids.map(async (id) => (await store.getRun(id))!));
    const effectLines = lines();
    // No side effect twice, whoever executed the run and however often it was taken over.
    expect(new Set(effectLines).size).toBe(effectLines.length);
    for (const [index, run] of runs.entries()) {
      if (run.status === "succeeded") {
        expect(run.output).toBe(`done effect-${index}`);
        expect(effectLines.filter((line) => line === `effect-${index}`)).toEqual([`effect-${index}`]);
        continue;
      }
      // The kill landed while the run's command was running: started, so never re-run without a person.
      expect(run.status).toBe("awaiting_approval");
      const calls = await store.listToolCalls(run.id);
      expect(calls.map((call) => call.status)).toEqual(["started"]);
    }
    expect(runs.filter((run) => run.status === "succeeded").length).toBeGreaterThanOrEqual(runCount - 1);
    expect(overlaps).toEqual([]);
    // The killed worker claimed runs; at least one was taken over and finished by another worker.
    const survivorsLog = survivorResult.stderr + replacementResult.stderr;
    expect(survivorsLog).toMatch(/claimed run_\w+ \(taken over from a gone process\)/);
    for (const id of ids) expect(survivorsLog.split(`finished ${id} `).length - 1).toBeLessThanOrEqual(1);
  }, 60_000);

  it("leaves a call that needs a person waiting, and `tansuo approve` queues the run for the worker again", async () => {
    const sandbox = cliSandbox();
    mkdirSync(sandbox.workspace, { recursive: true });
    const server = await startDeepSeekServer({
      apiKey,
      script: [
        { toolCalls: [{ name: "run_command", arguments: { command: "echo approved >> side-effects.txt" } }] },
        { content: "Appended." },
      ],
    });
    const env = { TANSUO_HOME: sandbox.home, DEEPSEEK_API_KEY: apiKey, TANSUO_RETRY_SCALE: "0.01" };
    const worker = spawnCli(["worker"], { env, cwd: sandbox.workspace });
    cleanups.push(
      () => server.close(),
      () => rmSync(sandbox.folder, { recursive: true, force: true }),
      async () => {
        if (worker.exitCode === null && worker.signalCode === null) worker.kill("SIGKILL");
        await worker.result;
      },
    );
    const cli = (args: string[]) => runCli(args, { env, cwd: sandbox.workspace });
    const queued = await cli(
      ["run", "--queue", "--model", "deepseek-v4-flash", "--base-url", server.url].concat([
        "--approval",
        "ask",
        "append a line",
      ]),
    );
    const id = queued.stdout.trim();
    expect(id).toMatch(/^run_\w+$/);
    const store = new SqliteStore(path.join(sandbox.home, "tansuo.db"));
    cleanups.push(() => store.close());
    const statusIs = async (status: string) => {
      let current: string | undefined;
      await waitFor(() => {
        void store.getRun(id).then((run) => {
          current = run?.status;
        });
        return current === status;
      }, 20_000);
    };
    await statusIs("awaiting_approval");
    expect(existsSync(path.join(sandbox.workspace, "side-effects.txt"))).toBe(false);

    const approved = await cli(["approve", id]);
    expect(approved).toMatchObject({ exitCode: 0, stdout: `${id} queued (a worker continues it)\n` });
    await statusIs("succeeded");
    expect(readFileSync(path.join(sandbox.workspace, "side-effects.txt"), "utf8")).toBe("approved\n");
    worker.kill("SIGTERM");
    const stopped = await worker.result;
    expect(stopped.exitCode).toBe(0);
    expect(stopped.stderr).toContain(`finished ${id} awaiting_approval`);
    expect(stopped.stderr).toContain(`finished ${id} succeeded`);
  }, 40_000);
});
