import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { hostname } from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { executeRun, type RunEvent, startRun } from "../../src/agent/index.ts";
import { ownerHost, ownerProcessState } from "../../src/store/process-owner.ts";
import { scriptedHarness } from "../support/agent-harness.ts";

let harness: ReturnType<typeof scriptedHarness>;
afterEach(() => harness?.cleanup());

const newOwner = "other-host.example:4242:beefbeef";

/** What `resume` in another process does once it may: it writes itself into the lease. */
async function takeOver(runId: string) {
  const lease = (await harness.store.leaseOf(runId))!;
  expect(await harness.store.claimRun(runId, newOwner, 60_000, lease.owner)).toBe(true);
}

const touch = (name: string) => ({ name: "run_command", input: { command: `touch ${name}` } });

async function runTakenOverOn(moment: (event: RunEvent) => boolean, delayMilliseconds?: number) {
  const run = await startRun(harness.runtime, {
    task: "t",
    model: "scripted",
    workspace: harness.workspace,
    approval: "auto",
  });
  let taken = false;
  const ended = await executeRun(harness.runtime, run.id, {
    onEvent: async (event) => {
      if (taken || !moment(event)) return;
      taken = true;
      if (delayMilliseconds === undefined) await takeOver(run.id);
      else setTimeout(() => void takeOver(run.id), delayMilliseconds);
    },
  });
  expect(taken).toBe(true);
  // The new owner's run: this process set no status, released nothing and left the lease alone.
  expect(ended.status).toBe("running");
  expect((await harness.store.leaseOf(run.id))?.owner).toBe(newOwner);
  return run.id;
}

const exists = (name: string) => existsSync(path.join(harness.workspace, name));

describe("an owner whose lease another process took over", () => {
  it("starts none of the step's tools and makes no further model call", async () => {
    harness = scriptedHarness([{ toolCalls: [touch("first"), touch("second")] }, { text: "never asked" }]);
    const runId = await runTakenOverOn((event) => event.type === "tool-call");
    expect(exists("first") || exists("second")).toBe(false);
    // The step commit marked both started (they were to run without asking); neither ran, and the new owner treats
    // them as interrupted: it asks a person before running them.
    expect((await harness.store.listToolCalls(runId)).map((call) => call.status)).toEqual(["started", "started"]);
    expect(harness.model.calls).toHaveLength(1);
    expect(await harness.store.listSteps(runId)).toHaveLength(1);
  });

  it("commits no step for the call that was in flight when it lost the run", async () => {
    harness = scriptedHarness([{ toolCalls: [touch("first")] }]);
    const runId = await runTakenOverOn((event) => event.type === "step-started");
    expect(harness.model.calls).toHaveLength(1);
    expect(await harness.store.listSteps(runId)).toHaveLength(0);
    expect(await harness.store.listToolCalls(runId)).toHaveLength(0);
    expect(exists("first")).toBe(false);
  });

  it("leaves a tool that was running when it lost the run unfinished, and calls the model no more", async () => {
    harness = scriptedHarness([
      { toolCalls: [{ name: "run_command", input: { command: "sleep 0.4; touch slept" } }] },
      { text: "never asked" },
    ]);
    // Taken over while the command sleeps: the lease was still this process's when the tool started.
    const runId = await runTakenOverOn((event) => event.type === "tool-call", 150);
    // Still `started`: the new owner sees an interrupted call and asks a person before running it again.
    expect((await harness.store.listToolCalls(runId)).map((call) => call.status)).toEqual(["started"]);
    expect(harness.model.calls).toHaveLength(1);
    expect(await harness.store.listSteps(runId)).toHaveLength(1);
  });
});

describe("an owner's host, with its PID namespace", () => {
  it("names this namespace; an owner of another namespace on this hostname is elsewhere, an old-format one is not", () => {
    const here = ownerHost();
    if (existsSync("/proc/self/ns/pid")) expect(here).toMatch(/^[^:]+\/pidns-\d+$/);
    const deadPid = spawnSync("true").pid!;
    expect(ownerProcessState(`${hostname()}/pidns-1:${deadPid}:a1b2c3d4`)).toBe("elsewhere");
    expect(ownerProcessState(`${here}:${deadPid}:a1b2c3d4`)).toBe("gone");
    expect(ownerProcessState(`${hostname()}:${deadPid}:a1b2c3d4`)).toBe("gone");
    expect(ownerProcessState(`${here}:${process.ppid}`)).toBe("alive");
  });

  it("a lease the new owner released is not renewed by the old one", async () => {
    harness = scriptedHarness([]);
    const run = await startRun(harness.runtime, { task: "t", model: "scripted", workspace: harness.workspace });
    expect(await harness.store.claimRun(run.id, "old-host:1:old00000", 60_000)).toBe(true);
    expect(await harness.store.renewRun(run.id, "old-host:1:old00000", 60_000)).toBe(true);
    expect(await harness.store.claimRun(run.id, newOwner, 60_000, "old-host:1:old00000")).toBe(true);
    await harness.store.releaseRun(run.id, newOwner);
    expect(await harness.store.renewRun(run.id, "old-host:1:old00000", 60_000)).toBe(false);
    expect(await harness.store.leaseOf(run.id)).toBeUndefined();
  });
});
