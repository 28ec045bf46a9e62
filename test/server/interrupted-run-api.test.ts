import { spawnSync } from "node:child_process";
import { afterEach, describe, expect, it } from "vitest";
import { createRuntime } from "../../src/agent/index.ts";
import { leaseOwnerName } from "../../src/agent/run-lease.ts";
import { settingsSchema } from "../../src/config/settings-schema.ts";
import { Catalog } from "../../src/models/catalog.ts";
import { createGateway } from "../../src/server/index.ts";
import { ownerHost } from "../../src/store/process-owner.ts";
import type { RunSettings } from "../../src/store/records.ts";
import { SqliteStore } from "../../src/store/sqlite-store.ts";

let store: SqliteStore | undefined;
afterEach(() => {
  store?.close();
  store = undefined;
});

const runSettings: RunSettings = {
  task: "Count the files.",
  model: "deepseek-v4-flash",
  workspace: "/nonexistent-workspace",
  maxSteps: 10,
  thinking: "auto",
  approval: "ask",
  tools: [],
  alwaysAllowedTools: [],
};

function gatewayOverStore() {
  store = new SqliteStore(":memory:");
  const noModels = async (): Promise<never> => {
    throw new Error("these tests call no model");
  };
  const runtime = createRuntime({ store, resolveModel: noModels });
  const gateway = createGateway({
    store,
    settings: settingsSchema.parse({}),
    catalog: Catalog.builtIn(),
    resolveModel: noModels,
    runtime,
  });
  return { store, runtime, gateway };
}

// biome-ignore lint/suspicious/noExplicitAny: API JSON is walked freely in assertions.
const json = async (response: Response): Promise<any> => await response.json();

describe("the runs API for a run whose process was killed", () => {
  it("shows interrupted for a run left running by a dead process on this host, in the list and alone", async () => {
    const { store, gateway } = gatewayOverStore();
    const run = await store.createRun({ settings: runSettings });
    await store.setRunStatus(run.id, "running");
    // A pid that existed a moment ago and is gone now.
    const deadPid = spawnSync("true").pid!;
    expect(await store.claimRun(run.id, `${ownerHost()}:${deadPid}:a1b2c3d4`, 60_000)).toBe(true);

    const one = await gateway.app.request(`/v1/runs/${run.id}`);
    expect(one.status).toBe(200);
    expect(await json(one)).toMatchObject({ id: run.id, object: "run", status: "interrupted" });
    const list = await json(await gateway.app.request("/v1/runs"));
    expect(list.data.map((shown: { id: string; status: string }) => [shown.id, shown.status])).toEqual([
      [run.id, "interrupted"],
    ]);
    expect((await store.getRun(run.id))?.status).toBe("running");
  });

  it("shows running for a run the gateway's own process executes, and for one whose owner lives", async () => {
    const { store, runtime, gateway } = gatewayOverStore();
    const own = await store.createRun({ settings: runSettings });
    await store.setRunStatus(own.id, "running");
    // Another nonce of this very pid: without the gateway's active runs it would be taken for a stale lease.
    expect(await store.claimRun(own.id, leaseOwnerName(), 60_000)).toBe(true);
    runtime.activeRuns.set(own.id, new AbortController());
    const elsewhere = await store.createRun({ settings: runSettings });
    await store.setRunStatus(elsewhere.id, "running");
    expect(await store.claimRun(elsewhere.id, `${ownerHost()}:${process.ppid}:a1b2c3d4`, 60_000)).toBe(true);

    expect(await json(await gateway.app.request(`/v1/runs/${own.id}`))).toMatchObject({ status: "running" });
    expect(await json(await gateway.app.request(`/v1/runs/${elsewhere.id}`))).toMatchObject({ status: "running" });
    runtime.activeRuns.delete(own.id);
    expect(await json(await gateway.app.request(`/v1/runs/${own.id}`))).toMatchObject({ status: "interrupted" });
  });
});
