import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { Decimal } from "decimal.js";
import { afterAll, describe, expect, it } from "vitest";
import { createRuntime } from "../../src/agent/index.ts";
import { settingsSchema } from "../../src/config/settings-schema.ts";
import { Catalog } from "../../src/models/catalog.ts";
import { resolveModel } from "../../src/models/resolve-model.ts";
import { issueApiKey, type RunningServer, startServer } from "../../src/server/index.ts";
import { PostgresStore } from "../../src/store/postgres/postgres-store.ts";
import { type RecordedRequest, startDeepSeekServer } from "../support/deepseek-server/index.ts";
import { deepSeekV3Counter } from "../support/deepseek-server/token-count.ts";
import { postgresForTests } from "../support/postgres-server.ts";

const server = await postgresForTests();
const folder = mkdtempSync(path.join(tmpdir(), "tansuo-postgres-gateways-"));
afterAll(() => {
  if (!("unavailable" in server)) server.stop();
  rmSync(folder, { recursive: true, force: true });
});

const noRetries = { maxRetries: 0, initialDelayMilliseconds: 0, maxDelayMilliseconds: 0 };
// deepseek-v4-flash today, USD per million tokens: what the fake upstream "bills" below.
const missPerMillion = new Decimal("0.14");
const outputPerMillion = new Decimal("0.28");

const available = !("unavailable" in server);
describe.skipIf(!available)(
  `one key's budget in two gateways on one Postgres database${available ? "" : ` (skipped: ${"unavailable" in server ? server.unavailable : ""})`}`,
  () => {
    it("100 concurrent requests split across two gateways spend no more than the key's budget, exactly as billed", async () => {
      if ("unavailable" in server) return;
      const url = await server.createDatabase("gateways");
      const billed: { promptTokens: number; completionTokens: number }[] = [];
      // The upstream counts prompts as DeepSeek does (its V3 tokenizer and chat template), as the gateway's hold does.
      const counter = await deepSeekV3Counter();
      const upstream = await startDeepSeekServer({
        apiKey: "sk-upstream-test",
        fallback: (request: RecordedRequest) => {
          const body = request.body as { max_tokens?: number };
          const promptTokens = counter.prompt(request.body as Record<string, unknown>);
          const usage = { promptTokens, completionTokens: Math.min(100, body.max_tokens ?? 100) };
          billed.push(usage);
          return { content: "Hello.", usage, delayMs: 30 };
        },
      });
      const settings = settingsSchema.parse({ models: [{ id: "deepseek-v4-flash", baseUrl: upstream.url }] });
      const catalog = Catalog.builtIn().withOverrides(settings.models);
      const resolve = (spec: string) =>
        resolveModel(spec, {
          catalog,
          env: { DEEPSEEK_API_KEY: "sk-upstream-test" },
          modelsDirectory: folder,
          retryPolicy: noRetries,
        });
      const stores = [new PostgresStore({ url }), new PostgresStore({ url })];
      // One request bills about 10 prompt tokens and at most 100 output tokens: under $0.00003; the budget is ten.
      const { key, record } = await issueApiKey(stores[0]!, { name: "tight", budgetUsd: "0.0003" });
      const gateways: RunningServer[] = [];
      for (const store of stores) {
        gateways.push(
          await startServer({
            store,
            settings,
            catalog,
            resolveModel: (spec) => resolve(spec),
            runtime: createRuntime({ store, resolveModel: (spec) => resolve(spec) }),
            agentWorkspaceDirectory: path.join(folder, "workspaces"),
            port: 0,
          }),
        );
      }
      const answers = await Promise.all(
        Array.from({ length: 100 }, (_, index) =>
          fetch(`${gateways[index % 2]!.url}/v1/chat/completions`, {
            method: "POST",
            headers: { authorization: `Bearer ${key}`, "content-type": "application/json" },
            body: JSON.stringify({
              model: "deepseek-v4-flash",
              max_tokens: 100,
              messages: [{ role: "user", content: `Say hello (${index}).` }],
            }),
          }).then(async (answer) => ({ status: answer.status, body: await answer.text() })),
        ),
      );
      const spent = new Decimal(await stores[1]!.spentByKey(record.id));
      const invoice = billed.reduce(
        (total, call) =>
          total.plus(
            missPerMillion.mul(call.promptTokens).plus(outputPerMillion.mul(call.completionTokens)).div(1_000_000),
          ),
        new Decimal(0),
      );
      expect(spent.lessThanOrEqualTo("0.0003")).toBe(true);
      expect(spent.toFixed()).toBe(invoice.toFixed());
      const statuses = answers.map((answer) => answer.status);
      expect(statuses.filter((status) => status === 200).length).toBeGreaterThan(0);
      expect(statuses.filter((status) => status === 402).length).toBeGreaterThan(0);
      expect(statuses.every((status) => status === 200 || status === 402)).toBe(true);
      for (const gateway of gateways) await gateway.close();
      await upstream.close();
      for (const store of stores) await store.close();
    });
  },
);
