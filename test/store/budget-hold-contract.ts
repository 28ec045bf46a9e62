import { spawnSync } from "node:child_process";
import { hostname } from "node:os";
import { describe, expect, it } from "vitest";
import { emptyUsage } from "../../src/cost/usage.ts";
import type { BudgetAccount, BudgetHoldRequest } from "../../src/store/budget-records.ts";
import type { RunSettings } from "../../src/store/records.ts";
import type { Store } from "../../src/store/store.ts";
import type { StoreUnderTest } from "./store-under-test.ts";

const settings: RunSettings = {
  task: "t",
  model: "m",
  workspace: "/tmp",
  maxSteps: 5,
  thinking: "auto",
  approval: "deny",
  tools: [],
  alwaysAllowedTools: [],
};

const thisProcess = `${hostname()}:${process.pid}`;

/** A process of this machine that has ended: its pid names nobody (until the system reuses it). */
function goneProcess(): string {
  const child = spawnSync(process.execPath, ["-e", ""]);
  return `${hostname()}:${child.pid}`;
}

const keyWithBudget = async (store: Store, id: string, budgetUsd?: string) =>
  await store.createApiKey({
    id,
    name: id,
    prefix: `tsk_${id}`,
    hash: `hash_${id}`,
    budgetUsd,
    createdAt: "2026-01-01",
  });

const ledger = (keyId: string | undefined, costUsd: string, runId?: string) => ({
  at: new Date().toISOString(),
  keyId,
  runId,
  model: "m",
  usage: emptyUsage(),
  costUsd,
  price: {},
});

async function commitStep(store: Store, runId: string, index: number, keyId: string | undefined, costUsd: string) {
  return await store.commitStep({
    step: {
      runId,
      index,
      assistant: { text: "", toolCalls: [] },
      finishReason: "stop",
      usage: emptyUsage(),
      costUsd,
      price: {},
      model: "m",
      createdAt: new Date().toISOString(),
    },
    ledger: ledger(keyId, costUsd, runId),
    toolCalls: [],
  });
}

const held = async (store: Store, account: BudgetAccount) => (await store.budgetStandings([account]))[0]?.heldUsd;

/** The reservation ledger every Store must keep: holds taken whole or not at all, settled with the row that bills. */
export function budgetHoldContract(name: string, open: () => StoreUnderTest) {
  describe(`Budget holds contract: ${name}`, () => {
    it("holds against every budget at once and settles each hold in the write that bills its call", async () => {
      const { store, cleanup } = open();
      await keyWithBudget(store, "key_a", "0.01");
      const run = await store.createRun({ settings: { ...settings, budgetUsd: "0.006" }, ownerKeyId: "key_a" });
      const key: BudgetAccount = { kind: "key", id: "key_a" };
      const ofRun: BudgetAccount = { kind: "run", id: run.id };
      expect(await store.budgetStandings([key, ofRun])).toEqual([
        { account: key, budgetUsd: "0.01", spentUsd: "0", heldUsd: "0" },
        { account: ofRun, budgetUsd: "0.006", spentUsd: "0", heldUsd: "0" },
      ]);

      // A gateway request on the key, then a run's call on the run and the key.
      const request: BudgetHoldRequest = { id: "h1", owner: thisProcess, accounts: [key], amountUsd: "0.004" };
      expect(await store.holdBudget(request)).toEqual({ held: true });
      expect(
        await store.holdBudget({
          id: "h2",
          owner: thisProcess,
          runId: run.id,
          accounts: [ofRun, key],
          amountUsd: "0.005",
        }),
      ).toEqual({ held: true });
      expect((await store.budgetStandings([key, ofRun])).map((standing) => standing.heldUsd)).toEqual([
        "0.009",
        "0.005",
      ]);

      // The request is billed less than its worst case: spent goes up by the real cost, the hold goes at once.
      await store.recordLedger(ledger("key_a", "0.001"), "h1");
      expect(await store.budgetStandings([key])).toEqual([
        { account: key, budgetUsd: "0.01", spentUsd: "0.001", heldUsd: "0.005" },
      ]);
      // The run's step settles the run's hold on both budgets.
      await commitStep(store, run.id, 0, "key_a", "0.003");
      expect(await store.budgetStandings([key, ofRun])).toEqual([
        { account: key, budgetUsd: "0.01", spentUsd: "0.004", heldUsd: "0" },
        { account: ofRun, budgetUsd: "0.006", spentUsd: "0.003", heldUsd: "0" },
      ]);
      cleanup();
    });

    it("refuses a hold that would pass a budget, fits one that reaches it exactly, and leaves nothing held", async () => {
      const { store, cleanup } = open();
      await keyWithBudget(store, "key_a", "0.01");
      await keyWithBudget(store, "key_free");
      const key: BudgetAccount = { kind: "key", id: "key_a" };
      const free: BudgetAccount = { kind: "key", id: "key_free" };
      const hold = async (id: string, amountUsd: string, accounts = [key]) =>
        await store.holdBudget({ id, owner: thisProcess, accounts, amountUsd });

      expect(await hold("a", "0.006")).toEqual({ held: true });
      expect(await hold("b", "0.004")).toEqual({ held: true });
      const refused = await hold("c", "0.000000001", [free, key]);
      expect(refused).toEqual({
        held: false,
        refusedBy: { account: key, budgetUsd: "0.01", spentUsd: "0", heldUsd: "0.01" },
        standings: [
          { account: free, budgetUsd: undefined, spentUsd: "0", heldUsd: "0" },
          { account: key, budgetUsd: "0.01", spentUsd: "0", heldUsd: "0.01" },
        ],
      });
      // Refused whole: not even the account without a budget holds it.
      expect(await held(store, free)).toBe("0");

      // "a" is billed $0.001 of its $0.006: $0.005 comes free, and exactly that fits.
      await store.recordLedger(ledger("key_a", "0.001"), "a");
      expect(await hold("c", "0.005000000001")).toMatchObject({ held: false });
      expect(await hold("c", "0.005")).toEqual({ held: true });
      expect((await store.budgetStandings([key]))[0]).toMatchObject({ spentUsd: "0.001", heldUsd: "0.009" });
      // A key without a budget holds what it is given and refuses nothing.
      expect(await hold("d", "1000", [free])).toEqual({ held: true });
      cleanup();
    });

    it("gives back a hold that was never billed, and replaces a run's leftover hold with its next one", async () => {
      const { store, cleanup } = open();
      await keyWithBudget(store, "key_a", "0.01");
      const key: BudgetAccount = { kind: "key", id: "key_a" };
      const run = await store.createRun({ settings: { ...settings, budgetUsd: "1" }, ownerKeyId: "key_a" });
      const ofRun: BudgetAccount = { kind: "run", id: run.id };

      await store.holdBudget({ id: "request", owner: thisProcess, accounts: [key], amountUsd: "0.007" });
      await store.releaseBudgetHold("request");
      expect(await held(store, key)).toBe("0");

      const runHold = async (id: string, amountUsd: string) =>
        await store.holdBudget({ id, owner: thisProcess, runId: run.id, accounts: [ofRun, key], amountUsd });
      expect(await runHold("first", "0.008")).toEqual({ held: true });
      // A run makes one call at a time: its new hold replaces the old one instead of adding to it.
      expect(await runHold("second", "0.009")).toEqual({ held: true });
      expect((await store.budgetStandings([key, ofRun])).map((standing) => standing.heldUsd)).toEqual([
        "0.009",
        "0.009",
      ]);

      // An executor that lets go of the run has no call in flight: its hold goes with the lease.
      expect(await store.claimRun(run.id, `${thisProcess}:lease`, 60_000)).toBe(true);
      await store.releaseRun(run.id, `${thisProcess}:lease`);
      expect(await held(store, key)).toBe("0");
      cleanup();
    });

    it("sweeps the holds of a process that is gone, and keeps those of live processes and other hosts", async () => {
      const { store, cleanup } = open();
      await keyWithBudget(store, "key_a", "0.01");
      const key: BudgetAccount = { kind: "key", id: "key_a" };
      const hold = async (id: string, owner: string) =>
        await store.holdBudget({ id, owner, accounts: [key], amountUsd: "0.002" });
      expect(await hold("crashed", goneProcess())).toEqual({ held: true });
      expect(await hold("parent", `${hostname()}:${process.ppid}`)).toEqual({ held: true });
      expect(await hold("elsewhere", "another-host.invalid:1")).toEqual({ held: true });
      expect(await hold("mine", thisProcess)).toEqual({ held: true });
      // The crashed process's $0.002 is swept when the budget is read; $0.006 stays held by owners that may be alive.
      expect(await held(store, key)).toBe("0.006");
      // The sweep frees the money for new holds: $0.004 is left.
      expect(await store.holdBudget({ id: "new", owner: thisProcess, accounts: [key], amountUsd: "0.004" })).toEqual({
        held: true,
      });
      cleanup();
    });

    it("lets only one of two stores on one database fit into the same money", async () => {
      const { store, reopen, cleanup } = open();
      const other = reopen();
      await keyWithBudget(store, "key_a", "0.01");
      const key: BudgetAccount = { kind: "key", id: "key_a" };
      // Both read $0.01 left, then both try to hold $0.008 of it: the second is refused, and reads where it stands.
      expect((await store.budgetStandings([key]))[0]?.heldUsd).toBe("0");
      expect((await other.budgetStandings([key]))[0]?.heldUsd).toBe("0");
      expect(await other.holdBudget({ id: "other", owner: thisProcess, accounts: [key], amountUsd: "0.008" })).toEqual({
        held: true,
      });
      expect(
        await store.holdBudget({ id: "mine", owner: thisProcess, accounts: [key], amountUsd: "0.008" }),
      ).toMatchObject({
        held: false,
        refusedBy: { heldUsd: "0.008" },
      });
      await other.recordLedger(ledger("key_a", "0.002"), "other");
      expect((await store.budgetStandings([key]))[0]).toMatchObject({ spentUsd: "0.002", heldUsd: "0" });
      expect(await store.holdBudget({ id: "mine", owner: thisProcess, accounts: [key], amountUsd: "0.008" })).toEqual({
        held: true,
      });
      other.close();
      cleanup();
    });
  });
}
