import { afterAll, describe, expect, it } from "vitest";
import { createRuntime, runWorker, startRun } from "../../src/agent/index.ts";
import { PostgresStore } from "../../src/store/postgres/postgres-store.ts";
import type { RunRecord } from "../../src/store/records.ts";
import { scriptedHarness } from "../support/agent-harness.ts";
import { waitFor } from "../support/cli-process.ts";
import { postgresForTests } from "../support/postgres-server.ts";

const server = await postgresForTests();
afterAll(() => {
  if (!("unavailable" in server)) server.stop();
});

const available = !("unavailable" in server);
describe.skipIf(!available)(
  `a worker on PostgreSQL${available ? "" : ` (skipped: ${"unavailable" in server ? server.unavailable : ""})`}`,
  () => {
    it("wakes on a run queued by another process at once, though its idle poll is ten minutes", async () => {
      if ("unavailable" in server) return;
      const url = await server.createDatabase("worker_wake");
      const harness = scriptedHarness([{ text: "Woken." }]);
      const workerStore = new PostgresStore({ url });
      const queuingStore = new PostgresStore({ url });
      const resolveModel = harness.runtime.resolveModel;
      const stop = new AbortController();
      const claimed: { run: RunRecord; at: number }[] = [];
      const finished: RunRecord[] = [];
      const worker = runWorker(createRuntime({ store: workerStore, resolveModel }), {
        concurrency: 1,
        stop: stop.signal,
        idleMilliseconds: 600_000,
        onClaimed: (run) => claimed.push({ run, at: Date.now() }),
        onFinished: (run) => finished.push(run),
      });
      try {
        // The worker found nothing and sleeps; its LISTEN connection is up (opened when it subscribed).
        await new Promise((resolve) => setTimeout(resolve, 500));
        const queuedAt = Date.now();
        const run = await startRun(createRuntime({ store: queuingStore, resolveModel }), {
          task: "wake a worker",
          model: "scripted",
          workspace: harness.workspace,
          approval: "auto",
          onWorkers: true,
        });
        await waitFor(() => finished.length === 1, 10_000);
        expect(claimed.map(({ run }) => run.id)).toEqual([run.id]);
        expect(finished[0]).toMatchObject({ id: run.id, status: "succeeded", output: "Woken." });
        // Claimed within a second of the queueing: the notice woke it, not its poll.
        expect(claimed[0]!.at - queuedAt).toBeLessThan(1_000);
        harness.model.assertFinished();
      } finally {
        stop.abort();
        await worker;
        await Promise.all([workerStore.close(), queuingStore.close()]);
        harness.cleanup();
      }
    });
  },
);
