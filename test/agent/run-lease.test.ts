import { spawnSync } from "node:child_process";
import { hostname } from "node:os";
import { afterEach, describe, expect, it } from "vitest";
import { executeRun, startRun } from "../../src/agent/index.ts";
import { goneLeaseOwner } from "../../src/agent/run-lease.ts";
import { scriptedHarness } from "../support/agent-harness.ts";

let harness: ReturnType<typeof scriptedHarness> | undefined;
afterEach(() => harness?.cleanup());

// A pid that existed a moment ago and is gone now.
const deadPid = () => spawnSync("true").pid!;
const past = Date.now() - 60_000;
const future = Date.now() + 60_000;

describe("taking over a run's lease", () => {
  it("on this host, only when the owner's process is gone, however long ago the lease lapsed", () => {
    const live = `${hostname()}:${process.ppid}:a1b2c3d4`;
    expect(goneLeaseOwner({ owner: live, expiresAt: past })).toBeUndefined();
    const dead = `${hostname()}:${deadPid()}:a1b2c3d4`;
    expect(goneLeaseOwner({ owner: dead, expiresAt: future })).toBe(dead);
  });

  it("on another host, whose processes cannot be asked, only once the lease lapsed", () => {
    const elsewhere = "some-other-host.example:4242:a1b2c3d4";
    expect(goneLeaseOwner({ owner: elsewhere, expiresAt: future })).toBeUndefined();
    expect(goneLeaseOwner({ owner: elsewhere, expiresAt: past })).toBe(elsewhere);
  });

  it("executes a run whose owner died, and refuses one whose live owner let its lease lapse", async () => {
    harness = scriptedHarness([{ text: "done" }]);
    const orphaned = await startRun(harness.runtime, { task: "t", model: "scripted", workspace: harness.workspace });
    expect(await harness.store.claimRun(orphaned.id, `${hostname()}:${deadPid()}:dead0000`, 60_000)).toBe(true);
    expect((await executeRun(harness.runtime, orphaned.id)).status).toBe("succeeded");

    const held = await startRun(harness.runtime, { task: "t", model: "scripted", workspace: harness.workspace });
    expect(await harness.store.claimRun(held.id, `${hostname()}:${process.ppid}:live0000`, 1)).toBe(true);
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect((await harness.store.leaseOf(held.id))!.expiresAt).toBeLessThan(Date.now());
    await expect(executeRun(harness.runtime, held.id)).rejects.toThrow(/still alive/);
    // Nor may the store hand an expired lease to anyone who does not name the owner it replaces.
    expect(await harness.store.claimRun(held.id, "other:1:x", 60_000)).toBe(false);
    harness.model.assertFinished();
  });
});
