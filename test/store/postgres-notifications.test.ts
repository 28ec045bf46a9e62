import pg from "pg";
import { afterAll, describe, expect, it } from "vitest";
import { PostgresStore } from "../../src/store/postgres/postgres-store.ts";
import { waitFor } from "../support/cli-process.ts";
import { postgresForTests } from "../support/postgres-server.ts";
import { settings } from "./contract-fixtures.ts";

const server = await postgresForTests();
afterAll(() => {
  if (!("unavailable" in server)) server.stop();
});

/** The backends listening for one store (by the listener's application name) on database `name`. */
async function listeningBackends(adminUrl: string, database: string): Promise<number[]> {
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  try {
    const { rows } = await admin.query<{ pid: number }>(
      "SELECT pid FROM pg_stat_activity WHERE datname = $1 AND application_name = 'tansuo-listen' AND state IS NOT NULL",
      [database],
    );
    return rows.map((row) => row.pid);
  } finally {
    await admin.end();
  }
}

async function terminate(adminUrl: string, pids: number[]): Promise<void> {
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  try {
    for (const pid of pids) await admin.query("SELECT pg_terminate_backend($1)", [pid]);
  } finally {
    await admin.end();
  }
}

const available = !("unavailable" in server);
describe.skipIf(!available)(
  `PostgreSQL store notifications (LISTEN/NOTIFY)${available ? "" : ` (skipped: ${"unavailable" in server ? server.unavailable : ""})`}`,
  () => {
    it("tells a listener in another store of each event as it commits, with its sequence, never before its row", async () => {
      if ("unavailable" in server) return;
      const url = await server.createDatabase("notices_events");
      const listening = new PostgresStore({ url });
      const writing = new PostgresStore({ url });
      const run = await writing.createRun({ settings });
      const heard: number[] = [];
      const visibleWhenHeard: Promise<boolean>[] = [];
      let listeningNow = false;
      const stop = listening.notifications!.onRunEvents(run.id, (sequence) => {
        // Nothing: the connection came up (listeners re-read once then).
        if (sequence === undefined) {
          listeningNow = true;
          return;
        }
        heard.push(sequence);
        visibleWhenHeard.push(
          listening.listEvents(run.id, sequence - 1).then((events) => events[0]?.sequence === sequence),
        );
      });
      await waitFor(() => listeningNow, 5_000);
      const stored = await writing.appendEvents(run.id, [
        { type: "a", data: 1 },
        { type: "b", data: 2 },
      ]);
      stored.push(await writing.appendEvent(run.id, "c", 3));
      await waitFor(() => heard.length === 3, 5_000);
      expect(heard).toEqual(stored.map((event) => event.sequence));
      expect(await Promise.all(visibleWhenHeard)).toEqual([true, true, true]);
      stop();
      await Promise.all([listening.close(), writing.close()]);
    });

    it("tells a listener when a run is queued for workers, queued again or let go unfinished, and when a run changed", async () => {
      if ("unavailable" in server) return;
      const url = await server.createDatabase("notices_queued");
      const listening = new PostgresStore({ url });
      const writing = new PostgresStore({ url });
      let queued = 0;
      let changed = 0;
      listening.notifications!.onRunQueued(() => queued++);
      listening.notifications!.onRunsChanged(() => changed++);
      await waitFor(() => queued === 1 && changed === 1, 5_000); // the connection coming up tells every listener once
      const run = await writing.createRun({ settings: { ...settings, onWorkers: true } });
      await waitFor(() => queued === 2 && changed === 2, 5_000);
      expect(await writing.claimRun(run.id, "worker-1", 60_000)).toBe(true);
      await writing.releaseRun(run.id, "worker-1");
      await waitFor(() => queued === 3, 5_000);
      await writing.setRunStatus(run.id, "queued");
      await waitFor(() => queued === 4 && changed === 3, 5_000);
      await writing.setRunStatus(run.id, "running");
      await waitFor(() => changed === 4, 5_000);
      expect(queued).toBe(4);
      await Promise.all([listening.close(), writing.close()]);
    });

    it("listens again after its connection is killed, tells listeners to re-read, and closes it once nobody listens", async () => {
      if ("unavailable" in server) return;
      const url = await server.createDatabase("notices_reconnect");
      const adminUrl = server.url("postgres");
      const listening = new PostgresStore({ url });
      const writing = new PostgresStore({ url });
      const run = await writing.createRun({ settings });
      const heard: (number | undefined)[] = [];
      const stop = listening.notifications!.onRunEvents(run.id, (sequence) => heard.push(sequence));
      await waitFor(() => heard.length === 1, 5_000);
      expect(heard).toEqual([undefined]);
      const [first] = await listeningBackends(adminUrl, "notices_reconnect");
      expect(first).toBeDefined();

      await terminate(adminUrl, [first!]);
      await waitFor(() => heard.length === 2, 10_000);
      expect(heard[1]).toBeUndefined();
      const again = await listeningBackends(adminUrl, "notices_reconnect");
      expect(again).toHaveLength(1);
      expect(again[0]).not.toBe(first);
      const event = await writing.appendEvent(run.id, "after", {});
      await waitFor(() => heard.length === 3, 5_000);
      expect(heard[2]).toBe(event.sequence);

      // Every subscriber gone: the connection closes (a second later), so a stopped worker's process can exit.
      stop();
      let left = await listeningBackends(adminUrl, "notices_reconnect");
      for (let tries = 0; left.length > 0 && tries < 50; tries++) {
        await new Promise((resolve) => setTimeout(resolve, 100));
        left = await listeningBackends(adminUrl, "notices_reconnect");
      }
      expect(left).toEqual([]);
      await Promise.all([listening.close(), writing.close()]);
    });
  },
);
