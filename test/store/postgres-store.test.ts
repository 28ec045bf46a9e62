import pg from "pg";
import { afterAll, describe, expect, it } from "vitest";
import { PostgresStore } from "../../src/store/postgres/postgres-store.ts";
import { postgresForTests } from "../support/postgres-server.ts";
import { settings } from "./contract-fixtures.ts";
import { storeContract } from "./store-contract.ts";

// One throwaway cluster for this file; each store under test gets a schema of its own in one database.
const server = await postgresForTests();
const closing: Promise<void>[] = [];
afterAll(async () => {
  await Promise.all(closing);
  if (!("unavailable" in server)) server.stop();
});

if ("unavailable" in server) {
  describe.skip(`Postgres store (skipped: no PostgreSQL could be started: ${server.unavailable})`, () => {
    it("runs the store contract", () => {});
  });
} else {
  const url = await server.createDatabase("contract");
  let schemas = 0;
  storeContract("Postgres", () => {
    const schema = `contract_${++schemas}`;
    const opened: PostgresStore[] = [];
    const open = () => {
      const store = new PostgresStore({ url, schema });
      opened.push(store);
      return store;
    };
    const store = open();
    return {
      store,
      reopen: open,
      cleanup: () => {
        for (const each of opened) closing.push(each.close().catch(() => {}));
      },
    };
  });

  describe("Postgres store schema", () => {
    it("keeps money as exact decimals in NUMERIC columns", async () => {
      const store = new PostgresStore({ url, schema: "money" });
      await store.createApiKey({ id: "k", name: "k", prefix: "tsk_k", hash: "hk", budgetUsd: "0.10", createdAt: "x" });
      const entry = { at: "2026-12-01T00:00:00.000Z", keyId: "k", model: "m", price: {} };
      const usage = { inputTokens: 0, cacheHitTokens: 0, cacheMissTokens: 0, cacheWriteTokens: 0, outputTokens: 0 };
      for (const costUsd of ["0.1", "0.2", "0.000000000000000001"]) {
        await store.recordLedger({ ...entry, usage: { ...usage, reasoningTokens: 0 }, costUsd });
      }
      expect(await store.spentByKey("k")).toBe("0.300000000000000001");
      expect((await store.findApiKeyByHash("hk"))?.budgetUsd).toBe("0.1");
      await store.close();
    });

    it("opens as many connections as the URL's pool_size, and claims on one of their own", async () => {
      // Named by the fallback name (the listener names itself), so only this store's connections are counted.
      const store = new PostgresStore({
        url: `${url}?pool_size=2&fallback_application_name=pool-test`,
        schema: "pool",
      });
      const runs = await Promise.all(
        Array.from({ length: 6 }, (_, index) => store.createRun({ settings: { ...settings, onWorkers: index < 3 } })),
      );
      const claimed = await Promise.all(
        [1, 2, 3, 4].map((worker) => store.claimQueuedRun(`elsewhere:${worker}:w`, 60_000)),
      );
      expect(
        claimed
          .filter(Boolean)
          .map((run) => run!.id)
          .sort(),
      ).toEqual(
        runs
          .slice(0, 3)
          .map((run) => run.id)
          .sort(),
      );
      const probe = new pg.Client({ connectionString: url });
      await probe.connect();
      const { rows } = await probe.query(
        "SELECT count(*)::int AS connections FROM pg_stat_activity WHERE application_name = 'pool-test'",
      );
      await probe.end();
      // Two for queries and one for claims.
      expect(rows[0].connections).toBe(3);
      await store.close();
    });
  });
}
