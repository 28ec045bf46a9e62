import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import pg from "pg";
import { afterAll, describe, expect, it } from "vitest";
import { createRuntime, runWorker } from "../../src/agent/index.ts";
import { settingsSchema } from "../../src/config/settings-schema.ts";
import { Catalog } from "../../src/models/catalog.ts";
import { resolveModel } from "../../src/models/resolve-model.ts";
import { issueApiKey, startServer } from "../../src/server/index.ts";
import { PostgresStore } from "../../src/store/postgres/postgres-store.ts";
import { type ScriptedReply, startDeepSeekServer } from "../support/deepseek-server/index.ts";
import { postgresForTests } from "../support/postgres-server.ts";
import { type ServerSentEvent, SseReader } from "./support/sse-reader.ts";

const server = await postgresForTests();
const folder = mkdtempSync(path.join(tmpdir(), "tansuo-postgres-followers-"));
afterAll(() => {
  if (!("unavailable" in server)) server.stop();
  rmSync(folder, { recursive: true, force: true });
});

const noRetries = { maxRetries: 0, initialDelayMilliseconds: 0, maxDelayMilliseconds: 0 };
// Long enough that no event of these runs can reach a follower by a poll: only notices deliver them.
const neverPoll = 600_000;

/**
 * A worker (its own store and runtime, as another process) and gateway B (another store on the same database) that
 * follows the run; neither polls within the test's time. Returns a follower of a run queued through gateway B.
 */
async function workerAndGateway(database: string, script: ScriptedReply[]) {
  if ("unavailable" in server) throw new Error("no PostgreSQL");
  const url = await server.createDatabase(database);
  const upstream = await startDeepSeekServer({ apiKey: "sk-upstream-test", script });
  const settings = settingsSchema.parse({
    models: [{ id: "deepseek-v4-flash", baseUrl: upstream.url }],
    agents: {
      ops: {
        instructions: "Run what the task says.",
        model: "deepseek-v4-flash",
        tools: ["run_command"],
        approval: "auto",
      },
    },
  });
  const catalog = Catalog.builtIn().withOverrides(settings.models);
  const resolve = (spec: string) =>
    resolveModel(spec, {
      catalog,
      env: { DEEPSEEK_API_KEY: "sk-upstream-test" },
      modelsDirectory: folder,
      retryPolicy: noRetries,
    });
  const workerStore = new PostgresStore({ url });
  const gatewayStore = new PostgresStore({ url });
  const { key } = await issueApiKey(gatewayStore, { name: "alice" });
  const gateway = await startServer({
    store: gatewayStore,
    settings,
    catalog,
    resolveModel: (spec) => resolve(spec),
    runtime: createRuntime({
      store: gatewayStore,
      resolveModel: (spec) => resolve(spec),
      followerSafetyPollMilliseconds: neverPoll,
    }),
    agentWorkspaceDirectory: path.join(folder, database),
    port: 0,
  });
  const stop = new AbortController();
  const worker = runWorker(createRuntime({ store: workerStore, resolveModel: (spec) => resolve(spec) }), {
    concurrency: 1,
    stop: stop.signal,
    idleMilliseconds: neverPoll,
  });
  const headers = { authorization: `Bearer ${key}`, "content-type": "application/json" };
  // The runs list followed on gateway B from before the run exists (its default poll is 5 s with notices).
  const runsList = new SseReader(await fetch(`${gateway.url}/v1/runs?stream=true`, { headers }));
  const created = (await (
    await fetch(`${gateway.url}/v1/runs`, {
      method: "POST",
      headers,
      body: JSON.stringify({ agent: "ops", task: "Run the commands.", queue: true }),
    })
  ).json()) as { id: string };
  const follow = async (lastEventId?: string) =>
    new SseReader(
      await fetch(`${gateway.url}/v1/runs/${created.id}/events`, {
        headers: { ...headers, ...(lastEventId ? { "last-event-id": lastEventId } : {}) },
      }),
    );
  const follower = await follow();
  return {
    runId: created.id,
    follower,
    runsList,
    follow,
    gatewayStore,
    /** Reads events to the end, each with when it arrived. */
    async arrivals(until?: (event: ServerSentEvent) => boolean) {
      const got: { event: ServerSentEvent; at: number }[] = [];
      for (let event = await follower.next(); event; event = await follower.next()) {
        got.push({ event, at: Date.now() });
        if (until?.(event)) break;
      }
      return got;
    },
    async close() {
      stop.abort();
      await worker;
      await follower.close();
      await runsList.close();
      await gateway.gateway.agents?.settled();
      await gateway.close();
      await upstream.close();
      await Promise.all([workerStore.close(), gatewayStore.close()]);
    },
  };
}

async function listenerBackends(database: string): Promise<number[]> {
  if ("unavailable" in server) return [];
  const admin = new pg.Client({ connectionString: server.url("postgres") });
  await admin.connect();
  try {
    const { rows } = await admin.query<{ pid: number }>(
      "SELECT pid FROM pg_stat_activity WHERE datname = $1 AND application_name = 'tansuo-listen'",
      [database],
    );
    return rows.map((row) => row.pid);
  } finally {
    await admin.end();
  }
}

/** When each listening backend of `database` started (its connection opened). */
async function listenerStarts(database: string): Promise<number[]> {
  if ("unavailable" in server) return [];
  const admin = new pg.Client({ connectionString: server.url("postgres") });
  await admin.connect();
  try {
    const { rows } = await admin.query<{ started: Date }>(
      "SELECT backend_start AS started FROM pg_stat_activity WHERE datname = $1 AND application_name = 'tansuo-listen'",
      [database],
    );
    return rows.map((row) => row.started.getTime());
  } finally {
    await admin.end();
  }
}

async function terminateBackends(pids: number[]): Promise<void> {
  if ("unavailable" in server) return;
  const admin = new pg.Client({ connectionString: server.url("postgres") });
  await admin.connect();
  try {
    for (const pid of pids) await admin.query("SELECT pg_terminate_backend($1)", [pid]);
  } finally {
    await admin.end();
  }
}

const command = (text: string) => ({ toolCalls: [{ name: "run_command", arguments: { command: text } }] });

const available = !("unavailable" in server);
describe.skipIf(!available)(
  `SSE followers and workers on PostgreSQL through LISTEN/NOTIFY${available ? "" : ` (skipped: ${"unavailable" in server ? server.unavailable : ""})`}`,
  () => {
    it("a follower on gateway B of a run a worker executes gets every event in order, at once, without polling", async () => {
      const setup = await workerAndGateway("followers_prompt", [
        { ...command("echo one"), delayMs: 50 },
        { ...command("echo two"), delayMs: 50 },
        { content: "Both ran.", delayMs: 50 },
      ]);
      try {
        const got = await setup.arrivals();
        const stored = await setup.gatewayStore.listEvents(setup.runId);
        // The worker woke on the queued notice (its idle poll is ten minutes) and the follower heard each event.
        expect(got.map(({ event }) => Number(event.id))).toEqual(stored.map((event) => event.sequence));
        expect(got.at(-1)?.event.event).toBe("finished");
        expect(JSON.parse(got.at(-1)!.event.data)).toMatchObject({ status: "succeeded", output: "Both ran." });
        const delays = got.map(({ at }, index) => at - Date.parse(stored[index]!.at)).sort((a, b) => a - b);
        // Each event within a fraction of the old 250 ms poll of its write (the median; the slowest under a second).
        expect(delays[Math.floor(delays.length / 2)]!).toBeLessThan(125);
        expect(delays.at(-1)!).toBeLessThan(1_000);
      } finally {
        await setup.close();
      }
    });

    it("a follower whose LISTEN connection is killed mid-run still gets every event exactly once, in order", async () => {
      // In the run's workspace (the gateway's folder per agent), which the command's sandbox sees.
      const gate = path.join(folder, "followers_killed", "ops", "gate");
      const setup = await workerAndGateway("followers_killed", [
        command("while [ ! -f gate ]; do sleep 0.02; done; echo after-gate"),
        command("echo two"),
        { content: "Done after the gap." },
      ]);
      try {
        const before = await setup.arrivals((event) => event.event === "tool-call");
        // The run waits on the gate; both stores' LISTEN connections are killed, then the run goes on at once, so its
        // next events are written while nobody listens: only the re-read after the reconnect can bring them.
        const killed = await listenerBackends("followers_killed");
        expect(killed).toHaveLength(2);
        await terminateBackends(killed);
        writeFileSync(gate, "");
        const after = await setup.arrivals();
        const sequences = [...before, ...after].map(({ event }) => Number(event.id));
        const stored = await setup.gatewayStore.listEvents(setup.runId);
        expect(sequences).toEqual(stored.map((event) => event.sequence));
        expect(after.at(-1)?.event.event).toBe("finished");
        const reopened = await listenerBackends("followers_killed");
        expect(reopened).toHaveLength(2);
        expect(reopened.filter((pid) => killed.includes(pid))).toEqual([]);
        // The gap was real: the run wrote an event before the follower's gateway listened again.
        const listeningAgain = Math.min(...(await listenerStarts("followers_killed")));
        const afterSequences = after.map(({ event }) => Number(event.id));
        const writtenInGap = stored.filter(
          (event) => afterSequences.includes(event.sequence) && Date.parse(event.at) < listeningAgain,
        );
        expect(writtenInGap.length).toBeGreaterThan(0);
      } finally {
        await setup.close();
      }
    });

    it("a follower reconnecting with Last-Event-ID to gateway B gets exactly what it missed, then the rest", async () => {
      const setup = await workerAndGateway("followers_resume", [
        { ...command("echo one"), delayMs: 50 },
        { content: "Resumed.", delayMs: 300 },
      ]);
      try {
        const first = await setup.arrivals((event) => event.event === "tool-call");
        await setup.follower.close();
        const again = await setup.follow(first.at(-1)!.event.id!);
        const rest = await again.rest();
        const stored = await setup.gatewayStore.listEvents(setup.runId);
        expect([...first.map(({ event }) => event), ...rest].map((event) => Number(event.id))).toEqual(
          stored.map((event) => event.sequence),
        );
        expect(rest.at(-1)?.event).toBe("finished");
      } finally {
        await setup.close();
      }
    });

    it("the runs list stream on gateway B shows a worker's run succeeded within a fraction of its 5 s poll", async () => {
      const setup = await workerAndGateway("followers_list", [
        { ...command("echo one"), delayMs: 50 },
        { content: "Listed.", delayMs: 50 },
      ]);
      try {
        const shown = await setup.runsList.until(
          (event) => event.event === "run" && JSON.parse(event.data).status === "succeeded",
        );
        const arrivedAt = Date.now();
        const run = await setup.gatewayStore.getRun(setup.runId);
        expect(run?.status).toBe("succeeded");
        expect(shown.map((event) => JSON.parse(event.data).id)).toContain(setup.runId);
        expect(arrivedAt - Date.parse(run!.updatedAt)).toBeLessThan(1_000);
      } finally {
        await setup.close();
      }
    });
  },
);
