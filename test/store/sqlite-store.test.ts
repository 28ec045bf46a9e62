import { mkdtempSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import Database from "better-sqlite3";
import { afterEach, describe, expect, it, vi } from "vitest";
import { SqliteStore } from "../../src/store/sqlite-store.ts";
import { storeContract } from "./store-contract.ts";

storeContract("SQLite file", () => {
  const folder = mkdtempSync(path.join(tmpdir(), "tansuo-store-"));
  const file = path.join(folder, "nested", "tansuo.db");
  const store = new SqliteStore(file);
  return {
    store,
    reopen: () => new SqliteStore(file),
    cleanup: () => {
      try {
        store.close();
      } catch {}
      rmSync(folder, { recursive: true, force: true });
    },
  };
});

describe("SQLite store on a busy gateway", () => {
  const folders: string[] = [];
  const stores: SqliteStore[] = [];
  const openFile = () => {
    const folder = mkdtempSync(path.join(tmpdir(), "tansuo-store-"));
    folders.push(folder);
    return path.join(folder, "tansuo.db");
  };
  const open = (file: string) => {
    const store = new SqliteStore(file);
    stores.push(store);
    return store;
  };
  afterEach(() => {
    vi.useRealTimers();
    for (const store of stores.splice(0)) store.close();
    for (const folder of folders.splice(0)) rmSync(folder, { recursive: true, force: true });
  });

  it("opens a database made before tool calls kept images, adding the column and keeping the rows", async () => {
    const file = openFile();
    const old = new Database(file);
    old.exec(`CREATE TABLE tool_calls (
      run_id TEXT NOT NULL, step_index INTEGER NOT NULL, position INTEGER NOT NULL, call_id TEXT NOT NULL,
      tool_name TEXT NOT NULL, input TEXT NOT NULL, status TEXT NOT NULL, output TEXT,
      is_error INTEGER NOT NULL DEFAULT 0, started_at TEXT, finished_at TEXT, PRIMARY KEY (run_id, call_id))`);
    old
      .prepare(
        "INSERT INTO tool_calls (run_id, step_index, position, call_id, tool_name, input, status, output) VALUES (?, 0, 0, 'c', 'read_file', '{}', 'finished', 'old text')",
      )
      .run("r1");
    old.close();
    const store = open(file);
    expect(await store.listToolCalls("r1")).toMatchObject([{ callId: "c", output: "old text" }]);
    await store.updateToolCall("r1", "c", { outputImages: [{ mediaType: "image/gif", base64: "R0lGODlh" }] });
    expect((await store.listToolCalls("r1"))[0]?.outputImages).toEqual([
      { mediaType: "image/gif", base64: "R0lGODlh" },
    ]);
  });

  it("opens a database made before runs took messages, adding the table and keeping the runs", async () => {
    const file = openFile();
    const old = new Database(file);
    old.exec(`CREATE TABLE runs (id TEXT PRIMARY KEY, status TEXT NOT NULL, settings TEXT NOT NULL,
      owner_key_id TEXT, output TEXT, error TEXT, usage TEXT NOT NULL, cost_usd TEXT NOT NULL,
      step_count INTEGER NOT NULL DEFAULT 0, created_at TEXT NOT NULL, updated_at TEXT NOT NULL)`);
    old
      .prepare(
        `INSERT INTO runs (id, status, settings, usage, cost_usd, step_count, created_at, updated_at)
         VALUES ('r1', 'succeeded', '{"task":"t"}', '{}', '0', 2, '2026-11-01', '2026-11-01')`,
      )
      .run();
    old.close();
    const store = open(file);
    expect(await store.addRunMessage("r1", "a follow-up")).toMatchObject({ afterStep: 2, index: 0 });
    expect(await store.getRun("r1")).toMatchObject({ status: "queued", stepCount: 2 });
  });

  it("opens a database made before run trees, adding the parent columns: its runs have no parent", async () => {
    const file = openFile();
    const old = new Database(file);
    old.exec(`CREATE TABLE runs (id TEXT PRIMARY KEY, status TEXT NOT NULL, settings TEXT NOT NULL,
      owner_key_id TEXT, output TEXT, error TEXT, usage TEXT NOT NULL, cost_usd TEXT NOT NULL,
      step_count INTEGER NOT NULL DEFAULT 0, created_at TEXT NOT NULL, updated_at TEXT NOT NULL)`);
    old
      .prepare(
        `INSERT INTO runs (id, status, settings, usage, cost_usd, step_count, created_at, updated_at)
         VALUES ('r1', 'succeeded', '{"task":"t","model":"m"}', '{}', '0.5', 2, '2026-11-01', '2026-11-01')`,
      )
      .run();
    old.close();
    const store = open(file);
    expect((await store.getRun("r1"))?.parentRunId).toBeUndefined();
    const child = await store.createRun({
      settings: { ...(await store.getRun("r1"))!.settings },
      parentRunId: "r1",
      parentCallId: "c1",
    });
    expect((await store.listChildRuns("r1")).map((run) => run.id)).toEqual([child.id]);
    // Opened again, nothing is added twice.
    store.close();
    expect((await open(file).listChildRuns("r1")).map((run) => run.parentCallId)).toEqual(["c1"]);
  });

  it("opens a database made before admin keys, adding the column: its keys stay plain keys", async () => {
    const file = openFile();
    const old = new Database(file);
    old.exec(`CREATE TABLE api_keys (id TEXT PRIMARY KEY, name TEXT NOT NULL, prefix TEXT NOT NULL,
      hash TEXT NOT NULL UNIQUE, budget_usd TEXT, requests_per_minute INTEGER, concurrency INTEGER,
      spent_usd TEXT NOT NULL DEFAULT '0', created_at TEXT NOT NULL, revoked_at TEXT)`);
    old
      .prepare(
        "INSERT INTO api_keys (id, name, prefix, hash, created_at) VALUES ('key_old', 'old', 'tsk_old', 'h0', ?)",
      )
      .run("2026-11-01T00:00:00.000Z");
    old.close();
    const store = open(file);
    expect(await store.findApiKeyByHash("h0")).toMatchObject({ id: "key_old", name: "old" });
    expect((await store.findApiKeyByHash("h0"))?.admin).toBeUndefined();
    await store.createApiKey({
      id: "key_new",
      name: "ops",
      prefix: "tsk_new",
      hash: "h9",
      admin: true,
      createdAt: "2026-12-01",
    });
    expect((await store.findApiKeyByHash("h9"))?.admin).toBe(true);
  });

  it("sees a key revoked by another process within a second", async () => {
    vi.useFakeTimers({ toFake: ["Date"] });
    const file = openFile();
    const gateway = open(file);
    const operator = open(file);
    await gateway.createApiKey({ id: "key_a", name: "a", prefix: "tsk_abcd", hash: "h1", createdAt: "2026-11-28" });
    expect((await gateway.findApiKeyByHash("h1"))?.revokedAt).toBeUndefined();
    expect(await operator.revokeApiKey("key_a")).toBe(true);
    vi.setSystemTime(Date.now() + 1001);
    expect((await gateway.findApiKeyByHash("h1"))?.revokedAt).toBeDefined();
  });

  it("moves WAL pages into the database file from a worker thread once it writes the ledger often", async () => {
    const file = openFile();
    const store = open(file);
    const usage = { inputTokens: 9, cacheHitTokens: 0, cacheMissTokens: 9, cacheWriteTokens: 0, outputTokens: 1 };
    const entry = { at: "2026-11-28T10:00:00.000Z", model: "m", usage: { ...usage, reasoningTokens: 0 } };
    // Fewer pages than SQLite's own checkpoint threshold: only the worker moves them.
    for (let row = 0; row < 150; row++) await store.recordLedger({ ...entry, costUsd: "0.001", price: {} });
    const sizeBefore = statSync(file).size;
    await vi.waitFor(() => expect(statSync(file).size).toBeGreaterThan(sizeBefore), { timeout: 5000 });
    expect((await store.usageRows())[0]?.requests).toBe(150);
  });
});
