import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, afterEach, describe, expect, it } from "vitest";
import { settingsSchema } from "../../src/config/settings-schema.ts";
import { Catalog } from "../../src/models/catalog.ts";
import { resolveModel } from "../../src/models/resolve-model.ts";
import { issueApiKey, startServer } from "../../src/server/index.ts";
import { PostgresStore } from "../../src/store/postgres/postgres-store.ts";
import { chatRequestsAcross, countingUpstream } from "../support/counting-upstream.ts";
import { postgresForTests } from "../support/postgres-server.ts";

const server = await postgresForTests();
const folder = mkdtempSync(path.join(tmpdir(), "tansuo-postgres-key-limits-"));
afterAll(() => {
  if (!("unavailable" in server)) server.stop();
  rmSync(folder, { recursive: true, force: true });
});
const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

const upstreamKey = "sk-upstream-limits";
const noRetries = { maxRetries: 0, initialDelayMilliseconds: 0, maxDelayMilliseconds: 0 };

/** Two gateways, each with its own connection pool, on one database; the key is made through the first. */
async function twoGateways(
  database: string,
  delayMs: number,
  limits: { requestsPerMinute?: number; concurrency?: number },
) {
  if ("unavailable" in server) throw new Error(server.unavailable);
  const url = await server.createDatabase(database);
  const upstream = await countingUpstream(upstreamKey, delayMs);
  const settings = settingsSchema.parse({ models: [{ id: "deepseek-v4-flash", baseUrl: upstream.server.url }] });
  const catalog = Catalog.builtIn().withOverrides(settings.models);
  const resolve = (spec: string) =>
    resolveModel(spec, {
      catalog,
      env: { DEEPSEEK_API_KEY: upstreamKey },
      modelsDirectory: folder,
      retryPolicy: noRetries,
    });
  const stores = [new PostgresStore({ url }), new PostgresStore({ url })];
  const { key } = await issueApiKey(stores[0]!, { name: "limited", ...limits });
  const urls: string[] = [];
  for (const store of stores) {
    const gateway = await startServer({ store, settings, catalog, resolveModel: resolve, port: 0 });
    cleanups.push(async () => {
      await gateway.close();
      await store.close();
    });
    urls.push(gateway.url);
  }
  cleanups.push(() => upstream.server.close());
  return { key, urls, upstream };
}

const available = !("unavailable" in server);
describe.skipIf(!available)(
  `one key's rpm and concurrency in two gateways on one Postgres database${available ? "" : ` (skipped: ${"unavailable" in server ? server.unavailable : ""})`}`,
  () => {
    it("a key with requestsPerMinute 10 gets exactly 10 of 40 concurrent requests answered across both", async () => {
      const { key, urls, upstream } = await twoGateways("rpm", 20, { requestsPerMinute: 10 });
      const answers = await chatRequestsAcross(urls, key, 40);
      expect(answers.filter((answer) => answer.status === 200)).toHaveLength(10);
      const refused = answers.filter((answer) => answer.status === 429);
      expect(refused).toHaveLength(30);
      for (const answer of refused) {
        expect(answer.code).toBe("rate_limit_exceeded");
        expect(Number(answer.retryAfter)).toBeGreaterThanOrEqual(1);
        expect(Number(answer.retryAfter)).toBeLessThanOrEqual(60);
      }
      expect(upstream.answered()).toBe(10);
    });

    it("a key with concurrency 2 never has more than 2 requests at the upstream across both", async () => {
      const { key, urls, upstream } = await twoGateways("concurrency", 150, { concurrency: 2 });
      const answers = [];
      // Waves, so that slots given back are taken again by the other gateway's requests.
      for (let wave = 0; wave < 4; wave++) answers.push(...(await chatRequestsAcross(urls, key, 12)));
      const answered = answers.filter((answer) => answer.status === 200);
      expect(answered.length).toBeGreaterThanOrEqual(4);
      for (const answer of answers.filter((each) => each.status !== 200)) {
        expect(answer).toMatchObject({ status: 429, code: "concurrency_limit_exceeded", retryAfter: "1" });
      }
      expect(upstream.answered()).toBe(answered.length);
      expect(upstream.mostAtOnce()).toBe(2);
    });
  },
);
