import { hostname } from "node:os";
import { describe, expect, it } from "vitest";
import { emptyUsage } from "../../src/cost/usage.ts";
import type { BudgetAccount } from "../../src/store/budget-records.ts";
import type { Store } from "../../src/store/store.ts";
import { settings } from "./contract-fixtures.ts";
import type { StoreUnderTest } from "./store-under-test.ts";

async function billStep(store: Store, runId: string, costUsd: string) {
  await store.commitStep({
    step: {
      runId,
      index: 0,
      assistant: { text: "", toolCalls: [] },
      finishReason: "stop",
      usage: emptyUsage(),
      costUsd,
      price: {},
      model: "m",
      createdAt: new Date().toISOString(),
    },
    ledger: { at: new Date().toISOString(), runId, model: "m", usage: emptyUsage(), costUsd, price: {} },
    toolCalls: [],
  });
}

/** Run trees (agents as tools): children linked to their parent and its call, and a parent's budget paying for them. */
export function runTreeContract(name: string, open: () => StoreUnderTest) {
  describe(`Run tree contract: ${name}`, () => {
    it("lists a run's children oldest first with their parent and call, kept across a reopen", async () => {
      const { store, reopen, cleanup } = open();
      const parent = await store.createRun({ settings });
      const other = await store.createRun({ settings });
      const first = await store.createRun({ settings, parentRunId: parent.id, parentCallId: "call_1" });
      await store.createRun({ settings, parentRunId: other.id, parentCallId: "call_1" });
      const second = await store.createRun({ settings, parentRunId: parent.id, parentCallId: "call_2" });
      expect(first).toMatchObject({ parentRunId: parent.id, parentCallId: "call_1" });
      expect(parent.parentRunId).toBeUndefined();

      const again = reopen();
      const children = await again.listChildRuns(parent.id);
      expect(children.map((run) => [run.id, run.parentRunId, run.parentCallId])).toEqual([
        [first.id, parent.id, "call_1"],
        [second.id, parent.id, "call_2"],
      ]);
      expect((await again.getRun(second.id))?.parentCallId).toBe("call_2");
      expect(await again.listChildRuns(first.id)).toEqual([]);
      expect(await again.listChildRuns("run_unknown")).toEqual([]);
      // Children are runs like any other: listed with the rest.
      expect((await again.listRuns()).map((run) => run.id)).toContain(first.id);
      cleanup();
    });

    it("counts what children and grandchildren spent as their parent's spend, each cent once", async () => {
      const { store, cleanup } = open();
      const parent = await store.createRun({ settings: { ...settings, budgetUsd: "1" } });
      const child = await store.createRun({
        settings: { ...settings, budgetUsd: "0.5" },
        parentRunId: parent.id,
        parentCallId: "call_1",
      });
      const grandchild = await store.createRun({
        settings: { ...settings, budgetUsd: "0.2" },
        parentRunId: child.id,
        parentCallId: "call_1",
      });
      await billStep(store, parent.id, "0.1");
      await billStep(store, child.id, "0.02");
      await billStep(store, grandchild.id, "0.003");
      const ofParent: BudgetAccount = { kind: "run", id: parent.id };
      const ofChild: BudgetAccount = { kind: "run", id: child.id };
      expect(await store.budgetStandings([ofParent, ofChild])).toEqual([
        { account: ofParent, budgetUsd: "1", spentUsd: "0.123", heldUsd: "0" },
        { account: ofChild, budgetUsd: "0.5", spentUsd: "0.023", heldUsd: "0" },
      ]);
      // Each run's own cost stays its own calls' (what its ledger rows add up to).
      expect((await store.getRun(parent.id))?.costUsd).toBe("0.1");
      // A carve-out for a child: held against the parent, refused past what the parent has left.
      const owner = `${hostname()}:${process.pid}`;
      expect(await store.holdBudget({ id: "carve", owner, accounts: [ofParent], amountUsd: "0.877" })).toEqual({
        held: true,
      });
      const refused = await store.holdBudget({ id: "more", owner, accounts: [ofParent], amountUsd: "0.001" });
      expect(refused.held).toBe(false);
      cleanup();
    });
  });
}
