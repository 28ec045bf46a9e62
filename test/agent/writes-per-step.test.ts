import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { z } from "zod";
import { createRuntime, executeRun, startRun } from "../../src/agent/index.ts";
import { freePrice } from "../../src/cost/price.ts";
import { modelEntrySchema } from "../../src/models/model-entry.ts";
import type { ResolvedModel } from "../../src/models/resolved-model.ts";
import { usageOf } from "../../src/models/usage-of.ts";
import { MemoryStore } from "../../src/store/memory-store.ts";
import { SqliteStore } from "../../src/store/sqlite-store.ts";
import type { Store } from "../../src/store/store.ts";
import { ScriptedModel } from "../../src/testing/index.ts";
import { defineTool } from "../../src/tools/tool.ts";
import { walCommits } from "../support/wal-commits.ts";

const folders: string[] = [];
afterEach(() => {
  for (const folder of folders.splice(0)) rmSync(folder, { recursive: true, force: true });
});

// Every method of the Store interface that writes; each is one transaction in SQLite.
const writeMethods = new Set([
  "createRun",
  "updateRunSettings",
  "setRunStatus",
  "claimRun",
  "renewRun",
  "releaseRun",
  "startToolCall",
  "commitStep",
  "recordStepStart",
  "updateToolCall",
  "updateToolCalls",
  "appendEvent",
  "appendEvents",
  "recordLedger",
  "holdBudget",
  "releaseBudgetHold",
  "createApiKey",
  "revokeApiKey",
]);

/** The store, with a count of the write methods called on it. */
function counted(store: Store): { store: Store; writes: () => number } {
  let writes = 0;
  const proxy = new Proxy(store, {
    get(target, name, receiver) {
      const value = Reflect.get(target, name, receiver);
      if (typeof value !== "function") return value;
      return (...args: unknown[]) => {
        if (writeMethods.has(String(name))) writes += 1;
        return value.apply(target, args);
      };
    },
  });
  return { store: proxy, writes: () => writes };
}

const noop = defineTool({
  name: "noop",
  description: "Does nothing.",
  inputSchema: z.object({ n: z.number() }),
  readOnly: false,
  needsApproval: false,
  execute: async () => "ok",
});

/** A run of `steps` model calls, each but the last calling the no-op tool once; returns the writes it made. */
async function writesOfRun(kind: "sqlite" | "memory", steps: number) {
  const folder = mkdtempSync(path.join(tmpdir(), "tansuo-writes-"));
  folders.push(folder);
  const workspace = path.join(folder, "workspace");
  mkdirSync(workspace);
  const file = path.join(folder, "tansuo.db");
  const inner = kind === "sqlite" ? new SqliteStore(file) : new MemoryStore();
  const { store, writes } = counted(inner);
  const script = Array.from({ length: steps }, (_, index) =>
    index < steps - 1 ? { toolCalls: [{ name: "noop", input: { n: index } }] } : { text: "done" },
  );
  const model = new ScriptedModel(script);
  const entry = modelEntrySchema.parse({
    id: "scripted",
    provider: "openai-compatible",
    upstreamModel: "scripted",
    contextWindow: 1_000_000,
    maxOutputTokens: 4096,
    prices: [],
  });
  const resolved: ResolvedModel = {
    entry,
    model,
    priceAt: () => freePrice(),
    usageOf: (usage) => usageOf(usage, undefined),
    close: async () => {},
  };
  const runtime = createRuntime({ store, resolveModel: async () => resolved, tools: [noop] });
  const run = await startRun(runtime, { task: "t", model: "scripted", workspace, tools: ["noop"], maxSteps: steps });
  const finished = await executeRun(runtime, run.id);
  expect(finished.status).toBe("succeeded");
  expect((await store.listToolCalls(run.id)).map((call) => call.status)).toEqual(
    Array.from({ length: steps - 1 }, () => "finished"),
  );
  model.assertFinished();
  const transactions = kind === "sqlite" ? walCommits(file) : undefined;
  await inner.close();
  return { calls: writes(), transactions };
}

describe("writes per step of a run in its steady state", () => {
  it("are two SQLite transactions: the step start (with the last step's finishes and events) and the commit", async () => {
    const short = await writesOfRun("sqlite", 10);
    const long = await writesOfRun("sqlite", 40);
    // 30 more steps: 60 more store writes, and each is one transaction in the file's write-ahead log.
    expect(long.calls - short.calls).toBe(60);
    expect(long.transactions! - short.transactions!).toBe(60);
  });

  it("are two store writes with the in-memory store too", async () => {
    const short = await writesOfRun("memory", 10);
    const long = await writesOfRun("memory", 40);
    expect(long.calls - short.calls).toBe(60);
  });
});
