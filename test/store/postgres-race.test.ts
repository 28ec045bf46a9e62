import path from "node:path";
import pg from "pg";
import { afterAll, describe, expect, it } from "vitest";
import { NewerSchemaError } from "../../src/store/postgres/postgres-migrate.ts";
import { postgresMigrations } from "../../src/store/postgres/postgres-migrations.ts";
import { PostgresStore } from "../../src/store/postgres/postgres-store.ts";
import { repositoryRoot, spawnNode } from "../support/cli-process.ts";
import { postgresForTests } from "../support/postgres-server.ts";

const server = await postgresForTests();
afterAll(() => {
  if (!("unavailable" in server)) server.stop();
});

if ("unavailable" in server) {
  describe.skip(`Postgres across processes (skipped: no PostgreSQL could be started: ${server.unavailable})`, () => {
    it("holds budget across processes", () => {});
  });
} else {
  const url = await server.createDatabase("race");

  describe("Postgres store across processes", () => {
    it("lets two processes on one database hold no more than a key's budget between them", async () => {
      const store = new PostgresStore({ url, schema: "race" });
      // $0.01: ten holds of $0.001; each process tries fifty at once, each held one billed and settled.
      await store.createApiKey({
        id: "key_race",
        name: "race",
        prefix: "tsk_race",
        hash: "h_race",
        budgetUsd: "0.01",
        createdAt: new Date().toISOString(),
      });
      const racer = path.join(repositoryRoot, "test/support/postgres-hold-racer.ts");
      const env = { PATH: process.env.PATH ?? "/usr/bin:/bin" };
      const child = spawnNode(["--import", "tsx", racer, url, "race", "50", "child"], { env, cwd: repositoryRoot });
      const here = new PostgresStore({ url, schema: "race", poolSize: 10 });
      const usage = { inputTokens: 0, cacheHitTokens: 0, cacheMissTokens: 0, cacheWriteTokens: 0, outputTokens: 0 };
      const mine = await Promise.all(
        Array.from({ length: 50 }, async (_, index) => {
          const id = `parent-${index}`;
          const key = { kind: "key" as const, id: "key_race" };
          const result = await here.holdBudget({ id, owner: "parent-host:1", accounts: [key], amountUsd: "0.001" });
          if (!result.held) return 0;
          const entry = { at: new Date().toISOString(), keyId: "key_race", model: "m", price: {}, costUsd: "0.001" };
          await here.recordLedger({ ...entry, usage: { ...usage, reasoningTokens: 0 } }, id);
          return 1;
        }),
      );
      const result = await child.result;
      expect(result.stderr).toBe("");
      const theirs = (JSON.parse(result.stdout) as { held: number }).held;
      const ours = mine.reduce((total: number, one) => total + one, 0);
      expect(ours + theirs).toBe(10);
      expect(await store.spentByKey("key_race")).toBe("0.01");
      expect((await store.usageRows({ keyId: "key_race" }))[0]?.requests).toBe(10);
      expect((await store.budgetStandings([{ kind: "key", id: "key_race" }]))[0]?.heldUsd).toBe("0");
      await here.close();
      await store.close();
    });

    it("migrates once when two stores open a new database at the same moment", async () => {
      const stores = Array.from({ length: 4 }, () => new PostgresStore({ url, schema: "together" }));
      const runs = await Promise.all(stores.map((store) => store.listRuns()));
      expect(runs).toEqual([[], [], [], []]);
      const client = new pg.Client({ connectionString: url });
      await client.connect();
      const { rows } = await client.query("SELECT version FROM together.schema_migrations ORDER BY version");
      await client.end();
      expect(rows).toEqual(postgresMigrations.map(({ version }) => ({ version })));
      await Promise.all(stores.map((store) => store.close()));
    });

    it("refuses a database whose schema is newer than this code, naming both versions", async () => {
      const first = new PostgresStore({ url, schema: "newer" });
      await first.listRuns();
      await first.close();
      const client = new pg.Client({ connectionString: url });
      await client.connect();
      await client.query("INSERT INTO newer.schema_migrations (version, applied_at) VALUES (99, 'later')");
      await client.end();
      const store = new PostgresStore({ url, schema: "newer" });
      const refusal = store.getRun("run_x");
      await expect(refusal).rejects.toBeInstanceOf(NewerSchemaError);
      await expect(refusal).rejects.toThrow(/schema is at version 99, newer than version 7 that this Tansuo knows/);
      await store.close();
    });

    it("names the database without its password when it cannot connect", async () => {
      const store = new PostgresStore({ url: "postgres://tansuo:secret-word@127.0.0.1:1/tansuo" });
      const error = (await store.getRun("run_x").then(
        () => new Error("opened"),
        (caught: unknown) => caught,
      )) as Error;
      expect(error.message).toContain("postgres://tansuo:***@127.0.0.1:1/tansuo");
      expect(`${error.message}\n${error.stack}`).not.toContain("secret-word");
      await store.close();
    });
  });
}
