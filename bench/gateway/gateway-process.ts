import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { settingsSchema } from "../../src/config/settings-schema.ts";
import { freePrice, priceAt } from "../../src/cost/price.ts";
import { Catalog } from "../../src/models/catalog.ts";
import { OpenAiChatLanguageModel } from "../../src/models/openai-chat/openai-chat-language-model.ts";
import { resolveModel } from "../../src/models/resolve-model.ts";
import type { ResolvedModel } from "../../src/models/resolved-model.ts";
import { usageOf } from "../../src/models/usage-of.ts";
import { issueApiKey, startServer } from "../../src/server/index.ts";
import { SqliteStore } from "../../src/store/sqlite-store.ts";
import { answerProfileRequests } from "./child-profiler.ts";

/**
 * The gateway as `tansuo serve` runs it (SQLite file in WAL mode, a key with a budget, so every request is
 * authenticated, budget-checked and written to the ledger), pointed at the upstream URL in argv[2].
 * argv[3] picks the upstream transport: `shipped` (resolveModel as `tansuo serve` calls it: node:http) or
 * `global-fetch` (the same provider model given the global fetch, undici, for comparison). Prints `{"url", "key"}`.
 */
const [upstreamUrl, transport = "shipped"] = process.argv.slice(2);
if (!upstreamUrl) throw new Error("usage: gateway-process.ts <upstream-url> [shipped|global-fetch]");
const folder = mkdtempSync(path.join(tmpdir(), "tansuo-bench-"));
const store = new SqliteStore(path.join(folder, "tansuo.db"));
const { key } = await issueApiKey(store, { name: "bench", budgetUsd: "1000000" });
const settings = settingsSchema.parse({ models: [{ id: "deepseek-v4-flash", baseUrl: upstreamUrl }] });
const catalog = Catalog.builtIn().withOverrides(settings.models);
const noRetries = { maxRetries: 0, initialDelayMilliseconds: 0, maxDelayMilliseconds: 0 };

async function withGlobalFetch(spec: string): Promise<ResolvedModel> {
  const entry = catalog.find(spec);
  if (!entry) throw new Error(`unknown model ${spec}`);
  const model = new OpenAiChatLanguageModel({
    provider: entry.provider,
    upstreamModel: entry.upstreamModel,
    baseUrl: upstreamUrl!,
    apiKey: "sk-bench",
    reasoningReplay: entry.reasoningReplay,
    usageSemantics: "deepseek",
    thinkingRequestField: entry.thinkingToggle === "request-field",
    fetch: globalThis.fetch,
  });
  return {
    entry,
    model,
    priceAt: (at) => priceAt(entry.prices, at) ?? freePrice(),
    usageOf: (usage) => usageOf(usage, "deepseek"),
    close: async () => {},
  };
}

const server = await startServer({
  store,
  settings,
  catalog,
  resolveModel:
    transport === "global-fetch"
      ? withGlobalFetch
      : (spec) =>
          resolveModel(spec, {
            catalog,
            env: { DEEPSEEK_API_KEY: "sk-bench" },
            modelsDirectory: folder,
            retryPolicy: noRetries,
          }),
  port: 0,
});
process.stdout.write(`${JSON.stringify({ url: server.url, key })}\n`);
// The driver asks for this process's CPU time before and after each measurement: CPU per request is steadier
// than latency when other work shares the machine.
process.on("message", (message) => {
  if (message === "cpu-usage") process.send?.(process.cpuUsage());
});
answerProfileRequests(path.join(folder, "gateway.cpuprofile"));
const stop = async () => {
  await server.close();
  store.close();
  process.exit(0);
};
process.on("disconnect", stop);
process.on("SIGTERM", stop);
