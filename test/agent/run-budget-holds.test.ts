import { hostname } from "node:os";
import { Decimal } from "decimal.js";
import { afterEach, describe, expect, it } from "vitest";
import { executeRun, startRun } from "../../src/agent/index.ts";
import { emptyUsage } from "../../src/cost/usage.ts";
import type { BudgetAccount } from "../../src/store/budget-records.ts";
import { scriptedHarness } from "../support/agent-harness.ts";

let harness: ReturnType<typeof scriptedHarness>;
afterEach(() => harness?.cleanup());

// $1 per million prompt tokens (miss), $2 per million output tokens: worst cases are easy to check by hand.
const price = { effectiveFrom: "2020-01-01", inputCacheHit: "0.1", inputCacheMiss: "1", output: "2" };
const settings = () => ({ task: "do the task", model: "scripted", workspace: harness.workspace, tools: [] });
const key: BudgetAccount = { kind: "key", id: "key_k" };
const thisProcess = `${hostname()}:${process.pid}`;
const ledgerRow = (costUsd: string) => ({
  at: new Date().toISOString(),
  keyId: "key_k",
  model: "scripted",
  usage: emptyUsage(),
  costUsd,
  price: {},
});

async function createKey(budgetUsd: string) {
  await harness.store.createApiKey({
    id: "key_k",
    name: "k",
    prefix: "tsk_k",
    hash: "hash_k",
    budgetUsd,
    createdAt: "2026",
  });
}

describe("a run's calls held against its own budget and its key's", () => {
  it("holds each call's worst case on both budgets while it is in flight, and settles it to the real cost", async () => {
    const held: string[][] = [];
    harness = scriptedHarness(
      [
        {
          text: "Done.",
          usage: { inputTokens: 1000, outputTokens: 10 },
          expect: async (options) => {
            const run = (await harness.store.listRuns())[0]!;
            const started = (await harness.store.lastEvent(run.id, "step-started"))?.data as { promptTokens: number };
            // The run's $0.008 is tighter than the key's $0.01: output is lowered to what it leaves.
            const allowance = new Decimal("0.008").minus(new Decimal(started.promptTokens).div(1e6)).mul(1e6).div(2);
            expect(options.maxOutputTokens).toBe(Math.min(4096, allowance.floor().toNumber()));
            const worst = new Decimal(started.promptTokens)
              .plus(2 * options.maxOutputTokens!)
              .div(1e6)
              .toFixed();
            const standings = await harness.store.budgetStandings([{ kind: "run", id: run.id }, key]);
            held.push(standings.map((standing) => standing.heldUsd));
            expect(held[0]).toEqual([worst, worst]);
          },
        },
      ],
      { price },
    );
    await createKey("0.01");
    const run = await startRun(harness.runtime, { ...settings(), budgetUsd: "0.008" }, { ownerKeyId: "key_k" });
    const finished = await executeRun(harness.runtime, run.id);
    expect(finished.status).toBe("succeeded");
    expect(held).toHaveLength(1);
    // 1000 prompt tokens at $1/M plus 10 output tokens at $2/M, on the run and on the key; nothing held any more.
    expect(finished.costUsd).toBe("0.00102");
    expect(await harness.store.budgetStandings([{ kind: "run", id: run.id }, key])).toEqual([
      { account: { kind: "run", id: run.id }, budgetUsd: "0.008", spentUsd: "0.00102", heldUsd: "0" },
      { account: key, budgetUsd: "0.01", spentUsd: "0.00102", heldUsd: "0" },
    ]);
    harness.model.assertFinished();
  });

  it("waits while a concurrent request holds what the key has left, and goes on once it is settled", async () => {
    harness = scriptedHarness([{ text: "Done after the hold went.", usage: { inputTokens: 900, outputTokens: 5 } }], {
      price,
    });
    await createKey("0.01");
    // A gateway request in flight on the same key holds all but $0.0001 of it.
    await harness.store.holdBudget({ id: "request", owner: thisProcess, accounts: [key], amountUsd: "0.0099" });
    const run = await startRun(harness.runtime, { ...settings(), budgetUsd: "1" }, { ownerKeyId: "key_k" });
    const warnings: string[] = [];
    const finished = executeRun(harness.runtime, run.id, {
      onEvent: async (event) => {
        if (event.type !== "warning") return;
        warnings.push(event.message);
        // The request is billed $0.002 of its hold: the rest comes back and the run's call fits.
        await harness.store.recordLedger(ledgerRow("0.002"), "request");
      },
    });
    expect((await finished).status).toBe("succeeded");
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/^waiting for other calls in flight to settle: the next call could cost more than/);
    expect(warnings[0]).toMatch(
      /left of key key_k's \$0\.01 budget .*\$0\.0099 of it is held by the key's other calls/,
    );
    expect(await harness.store.spentByKey("key_k")).toBe(new Decimal("0.002").plus((await finished).costUsd).toFixed());
    harness.model.assertFinished();
  });

  it("ends budget_exhausted at once, naming the key, when even settled holds would leave too little", async () => {
    harness = scriptedHarness([], { price });
    await createKey("0.01");
    await harness.store.recordLedger(ledgerRow("0.00995"));
    await harness.store.holdBudget({ id: "request", owner: thisProcess, accounts: [key], amountUsd: "0.00001" });
    const run = await startRun(harness.runtime, { ...settings(), budgetUsd: "1" }, { ownerKeyId: "key_k" });
    const refused = await executeRun(harness.runtime, run.id);
    expect(refused.status).toBe("budget_exhausted");
    // $0.00005 would be left with no hold at all: 50 prompt tokens, less than the system prompt alone.
    expect(refused.error).toMatch(/could cost more than the \$0\.00004 left of key key_k's \$0\.01 budget/);
    expect(refused.error).not.toMatch(/after waiting/);
  });

  it("ends budget_exhausted naming the key once the key's runs and requests have spent it", async () => {
    harness = scriptedHarness([], { price });
    await createKey("0.001");
    await harness.store.recordLedger({
      at: new Date().toISOString(),
      keyId: "key_k",
      model: "scripted",
      usage: emptyUsage(),
      costUsd: "0.001",
      price: {},
    });
    const run = await startRun(harness.runtime, settings(), { ownerKeyId: "key_k" });
    const refused = await executeRun(harness.runtime, run.id);
    expect(refused.status).toBe("budget_exhausted");
    expect(refused.error).toBe("key key_k's budget of $0.001 is spent ($0.001 by the key's runs and requests)");
  });
});
