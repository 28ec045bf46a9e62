import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, afterEach, describe, expect, it } from "vitest";
import { Agent, SqliteStore } from "../../src/index.ts";
import { PostgresStore } from "../../src/store/postgres/postgres-store.ts";
import { ScriptedModel } from "../../src/testing/index.ts";
import { postgresForTests } from "../support/postgres-server.ts";

const price = { effectiveFrom: "2025-01-01", inputCacheHit: "0.1", inputCacheMiss: "1", output: "2" };
const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

function workspace(): { folder: string; workspace: string } {
  const folder = mkdtempSync(path.join(tmpdir(), "tansuo-agent-store-"));
  mkdirSync(path.join(folder, "workspace"));
  cleanups.push(() => rmSync(folder, { recursive: true, force: true }));
  return { folder, workspace: path.join(folder, "workspace") };
}

async function answered(store: string | undefined, folder: string) {
  const agent = new Agent({
    model: new ScriptedModel([{ text: "Done." }]),
    price,
    workspace: path.join(folder, "workspace"),
    approval: "deny",
    ...(store === undefined ? {} : { store }),
  });
  cleanups.push(() => agent.close());
  return await agent.run("Say done.");
}

describe("Agent's store named by location", () => {
  it("opens a SQLite file given as a path, and TANSUO_STORE by default, as the CLI does", async () => {
    const { folder } = workspace();
    const named = path.join(folder, "named.db");
    const result = await answered(named, folder);
    const reopened = new SqliteStore(named);
    cleanups.push(() => reopened.close());
    expect(await reopened.getRun(result.id)).toMatchObject({ status: "succeeded", output: "Done." });

    const fromEnvironment = path.join(folder, "from-env.db");
    const before = process.env.TANSUO_STORE;
    process.env.TANSUO_STORE = fromEnvironment;
    cleanups.push(() => {
      if (before === undefined) delete process.env.TANSUO_STORE;
      else process.env.TANSUO_STORE = before;
    });
    const second = await answered(undefined, folder);
    const environmentStore = new SqliteStore(fromEnvironment);
    cleanups.push(() => environmentStore.close());
    expect(await environmentStore.getRun(second.id)).toMatchObject({ status: "succeeded" });
  });
});

const server = await postgresForTests();
afterAll(() => {
  if (!("unavailable" in server)) server.stop();
});

if ("unavailable" in server) {
  describe.skip(`Agent on PostgreSQL (skipped: no PostgreSQL could be started: ${server.unavailable})`, () => {
    it("keeps its runs in the database named by a postgres:// URL", () => {});
  });
} else {
  describe("Agent on PostgreSQL", () => {
    it("keeps its runs in the database named by a postgres:// URL", async () => {
      const url = await server.createDatabase("agent_store");
      const { folder } = workspace();
      const result = await answered(url, folder);
      const store = new PostgresStore({ url });
      cleanups.push(() => store.close());
      expect(await store.getRun(result.id)).toMatchObject({ status: "succeeded", output: "Done.", stepCount: 1 });
    });
  });
}
