import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { Decimal } from "decimal.js";
import { afterEach, describe, expect, it } from "vitest";
import { priceAt } from "../../src/cost/price.ts";
import { emptyUsage } from "../../src/cost/usage.ts";
import { issueApiKey } from "../../src/server/index.ts";
import { KeyBudget } from "../../src/server/key-budget.ts";
import { SqliteStore } from "../../src/store/sqlite-store.ts";
import type { RecordedRequest, ScriptedReply } from "../support/deepseek-server/index.ts";
import { type GatewayFixture, startGatewayFixture } from "./support/gateway-fixture.ts";

let fixture: GatewayFixture | undefined;
afterEach(async () => {
  await fixture?.close();
  fixture = undefined;
});

// deepseek-v4-flash today, USD per million tokens: what the fake upstream "bills" below.
const missPerMillion = new Decimal("0.14");
const outputPerMillion = new Decimal("0.28");

interface Billed {
  promptTokens: number;
  completionTokens: number;
}

/**
 * An upstream that honours max_tokens, as DeepSeek does: a first turn calls list_files, a turn with a tool result
 * answers. It keeps what it billed, so the test can compare the gateway's ledger with the provider's invoice.
 */
function billingUpstream(billed: Billed[]) {
  return (request: RecordedRequest): ScriptedReply => {
    const body = request.body as { messages: { role: string }[]; max_tokens?: number };
    const promptTokens = Math.ceil(JSON.stringify(body.messages).length / 4);
    const completionTokens = Math.min(40, body.max_tokens ?? 40);
    billed.push({ promptTokens, completionTokens });
    const usage = { promptTokens, completionTokens };
    const answered = body.messages.some((message) => message.role === "tool");
    return answered
      ? { content: "Listed.", usage, delayMs: 20 }
      : { toolCalls: [{ name: "list_files", arguments: {} }], usage, delayMs: 20 };
  };
}

const invoice = (billed: Billed[]): Decimal =>
  billed.reduce(
    (total, call) =>
      total.plus(
        missPerMillion.mul(call.promptTokens).plus(outputPerMillion.mul(call.completionTokens)).div(1_000_000),
      ),
    new Decimal(0),
  );

describe("a key's budget under concurrent runs and chat completions", () => {
  it("50 concurrent runs and 20 completions on a $0.001 key spend no more than $0.001, exactly as billed", async () => {
    const billed: Billed[] = [];
    let key = "";
    let keyId = "";
    fixture = await startGatewayFixture({
      upstream: { fallback: billingUpstream(billed) },
      settings: {
        agents: {
          lister: {
            instructions: "List the files.",
            model: "deepseek-v4-flash",
            tools: ["list_files"],
            approval: "auto",
          },
        },
      },
      prepare: async (store) => {
        const issued = await issueApiKey(store, { name: "tight", budgetUsd: "0.001" });
        key = issued.key;
        keyId = issued.record.id;
      },
    });
    const headers = { authorization: `Bearer ${key}`, "content-type": "application/json" };
    const post = (path: string, body: unknown) =>
      fetch(`${fixture!.server.url}${path}`, { method: "POST", headers, body: JSON.stringify(body) });

    const runs = Array.from({ length: 50 }, (_, index) =>
      post("/v1/runs", { agent: "lister", task: `List the files (${index}).` }),
    );
    const completions = Array.from({ length: 20 }, (_, index) =>
      post("/v1/chat/completions", {
        model: "deepseek-v4-flash",
        max_tokens: 100,
        messages: [{ role: "user", content: `Say hello (${index}).` }],
      }),
    );
    const runAnswers = await Promise.all(runs);
    const completionAnswers = await Promise.all(completions);
    await fixture.server.gateway.agents?.settled();

    const store = fixture.store;
    const ledgerTotal = (await store.usageRows({ keyId })).reduce(
      (total, row) => total.plus(row.costUsd),
      new Decimal(0),
    );
    // The budget holds whatever the mix: the ledger never passes it.
    expect({ spent: ledgerTotal.toFixed(), withinBudget: ledgerTotal.lessThanOrEqualTo("0.001") }).toMatchObject({
      withinBudget: true,
    });
    expect(ledgerTotal.isPositive()).toBe(true);
    expect(await store.spentByKey(keyId)).toBe(ledgerTotal.toFixed());
    // Exactly what the upstream billed: no call went unrecorded, none was recorded twice.
    expect(ledgerTotal.toFixed()).toBe(invoice(billed).toFixed());

    const statuses = (await store.listRuns({ ownerKeyId: keyId, limit: 100 })).map((run) => run.status);
    expect(statuses).toHaveLength(runAnswers.filter((answer) => answer.status === 201).length);
    expect(statuses.filter((status) => status === "budget_exhausted").length).toBeGreaterThan(0);
    expect(statuses.every((status) => status === "succeeded" || status === "budget_exhausted")).toBe(true);
    for (const run of await store.listRuns({ ownerKeyId: keyId, limit: 100 })) {
      if (run.status === "budget_exhausted") expect(run.error).toMatch(/key .*budget/);
    }
    // Every answer is a success or a 402 that names the budget; nothing else.
    for (const answer of [...runAnswers, ...completionAnswers]) expect([200, 201, 402]).toContain(answer.status);
  });
});

describe("one key's budget in two gateways on one database file", () => {
  const price = priceAt(
    [{ effectiveFrom: "2026-01-01", inputCacheHit: "0.1", inputCacheMiss: "1", output: "2" }],
    new Date(),
  )!;
  // Worst case of one request: 1000 prompt tokens at $1/M + 1000 output at $2/M = $0.003.
  const call = { promptTokenBound: () => 1000, requestedOutputTokens: 1000, modelOutputTokens: 4000, price };

  it("holds in one gateway count in the other, and a billed request frees what it did not spend", async () => {
    const folder = mkdtempSync(path.join(tmpdir(), "tansuo-two-gateways-"));
    const file = path.join(folder, "tansuo.db");
    const first = new SqliteStore(file);
    const second = new SqliteStore(file);
    try {
      const { record } = await issueApiKey(first, { budgetUsd: "0.0065" });
      const here = new KeyBudget(first);
      const there = new KeyBudget(second);
      const held = await here.reserve(record, call);
      expect((await there.reserve(record, call)).maxOutputTokens).toBe(1000);
      // $0.0005 is left across both: the prompt alone costs $0.001.
      await expect(here.reserve(record, call)).rejects.toThrow(/\$0\.006 is held by requests in flight/);
      expect(await there.remaining(record)).toBe("0.0005");
      // Billed $0.001 of its $0.003 hold: $0.002 comes back, in the other gateway too.
      await first.recordLedger(
        {
          at: new Date().toISOString(),
          keyId: record.id,
          model: "m",
          usage: { ...emptyUsage(), inputTokens: 1000, cacheMissTokens: 1000 },
          costUsd: "0.001",
          price,
        },
        held.holdId,
      );
      expect(await there.remaining(record)).toBe("0.0025");
      expect((await there.reserve(record, { ...call, requestedOutputTokens: 750 })).maxOutputTokens).toBe(750);
    } finally {
      first.close();
      second.close();
      rmSync(folder, { recursive: true, force: true });
    }
  });
});
