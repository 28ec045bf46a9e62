import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { Decimal } from "decimal.js";
import { afterEach, describe, expect, it } from "vitest";
import { issueApiKey } from "../../src/server/index.ts";
import { SqliteStore } from "../../src/store/sqlite-store.ts";
import { cliSandbox, spawnCli, waitFor } from "../support/cli-process.ts";
import { type RecordedRequest, type ScriptedReply, startDeepSeekServer } from "../support/deepseek-server/index.ts";
import { deepSeekV3Counter } from "../support/deepseek-server/token-count.ts";

const upstreamKey = "sk-budget-race-000999";
const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

// deepseek-v4-flash's list prices, USD per 1M tokens: what the fake upstream "bills" below.
const missPerMillion = new Decimal("0.14");
const outputPerMillion = new Decimal("0.28");
const completionTokens = 20;
const costOf = (promptTokens: number) =>
  missPerMillion.mul(promptTokens).plus(outputPerMillion.mul(completionTokens)).div(1_000_000);

/** `tansuo serve` as its own process on the shared home (and so the shared database file). */
async function startGateway(home: string, folder: string): Promise<string> {
  const child = spawnCli(["serve", "--port", "0"], {
    env: { TANSUO_HOME: home, DEEPSEEK_API_KEY: upstreamKey },
    cwd: folder,
  });
  cleanups.push(async () => {
    if (child.exitCode === null) {
      child.kill("SIGTERM");
      await child.result;
    }
  });
  let output = "";
  child.stdout?.on("data", (chunk) => {
    output += chunk;
  });
  await waitFor(() => /listening on (http:\/\/\S+) /.test(output));
  return /listening on (http:\/\/\S+) /.exec(output)![1]!;
}

describe("one key's budget across two gateway processes on one database", () => {
  it("100 concurrent requests split across them never spend more than the budget, and the ledger is the invoice", async () => {
    // The upstream counts prompts as DeepSeek does (its V3 tokenizer and chat template), as the gateway's hold does.
    const counter = await deepSeekV3Counter();
    const billed: Decimal[] = [];
    const upstream = await startDeepSeekServer({
      apiKey: upstreamKey,
      fallback: (request: RecordedRequest): ScriptedReply => {
        const promptTokens = counter.prompt(request.body as Record<string, unknown>);
        billed.push(costOf(promptTokens));
        return { content: "ok", usage: { promptTokens, completionTokens }, delayMs: 30 };
      },
    });
    const sandbox = cliSandbox();
    mkdirSync(sandbox.home, { recursive: true });
    cleanups.push(
      () => upstream.close(),
      () => rmSync(sandbox.folder, { recursive: true, force: true }),
    );
    writeFileSync(
      path.join(sandbox.home, "config.json"),
      JSON.stringify({ models: [{ id: "deepseek-v4-flash", baseUrl: upstream.url }] }),
    );
    // A budget worth ten billed requests.
    const budget = costOf(counter.prompt({ messages: [{ role: "user", content: "Say ok (10)." }] })).mul(10);
    const database = path.join(sandbox.home, "tansuo.db");
    const setup = new SqliteStore(database);
    const { key, record } = await issueApiKey(setup, { name: "race", budgetUsd: budget.toFixed() });
    setup.close();

    const gateways = await Promise.all([
      startGateway(sandbox.home, sandbox.folder),
      startGateway(sandbox.home, sandbox.folder),
    ]);
    const answers = await Promise.all(
      Array.from({ length: 100 }, (_, index) =>
        fetch(`${gateways[index % 2]}/v1/chat/completions`, {
          method: "POST",
          headers: { authorization: `Bearer ${key}`, "content-type": "application/json" },
          body: JSON.stringify({
            model: "deepseek-v4-flash",
            max_tokens: completionTokens,
            messages: [{ role: "user", content: `Say ok (${index}).` }],
          }),
        }).then(async (response) => ({ status: response.status, body: await response.text() })),
      ),
    );

    const statuses = answers.map((answer) => answer.status);
    for (const status of statuses) expect([200, 402]).toContain(status);
    const succeeded = statuses.filter((status) => status === 200).length;
    expect(succeeded).toBeGreaterThan(0);
    expect(statuses.filter((status) => status === 402).length).toBeGreaterThan(0);
    // Each success is one billed upstream call, and no refused request reached the upstream.
    expect(billed).toHaveLength(succeeded);

    const store = new SqliteStore(database);
    try {
      const spent = new Decimal(await store.spentByKey(record.id));
      expect(spent.lessThanOrEqualTo(budget), `spent ${spent} of ${budget}`).toBe(true);
      expect(spent.toFixed()).toBe(billed.reduce((total, cost) => total.plus(cost), new Decimal(0)).toFixed());
    } finally {
      store.close();
    }
  }, 90_000);
});
