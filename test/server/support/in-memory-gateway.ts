import type { LanguageModelV3, LanguageModelV3CallOptions } from "@ai-sdk/provider";
import { settingsSchema } from "../../../src/config/settings-schema.ts";
import { freePrice, priceAt } from "../../../src/cost/price.ts";
import { Catalog } from "../../../src/models/catalog.ts";
import type { ResolvedModel } from "../../../src/models/resolved-model.ts";
import { usageOf } from "../../../src/models/usage-of.ts";
import { createGateway, type Gateway, type GatewayOptions } from "../../../src/server/index.ts";
import { SqliteStore } from "../../../src/store/sqlite-store.ts";

/** What the scripted model saw, so a test can check what reached the "upstream". */
export interface ModelCalls {
  calls: LanguageModelV3CallOptions[];
}

/**
 * A model that answers every call with fixed text and DeepSeek usage, and fails on streaming (these tests are
 * about the HTTP layer; streaming is tested against the real DeepSeek-format server).
 */
export function fixedAnswerModel(text: string, record: ModelCalls): LanguageModelV3 {
  return {
    specificationVersion: "v3",
    provider: "scripted",
    modelId: "fixed",
    supportedUrls: {},
    doGenerate: async (options) => {
      record.calls.push(options);
      return {
        content: [{ type: "text", text }],
        finishReason: { unified: "stop", raw: "stop" },
        usage: {
          inputTokens: { total: 100, noCache: 100, cacheRead: 0, cacheWrite: 0 },
          outputTokens: { total: 10, text: 10, reasoning: 0 },
          raw: { prompt_tokens: 100, completion_tokens: 10, prompt_cache_hit_tokens: 0, prompt_cache_miss_tokens: 100 },
        },
        warnings: [],
      };
    },
    doStream: async () => {
      throw new Error("streaming is not scripted in this test");
    },
  };
}

/** The gateway in memory over a scripted model named deepseek-v4-flash (real catalog prices). */
export function inMemoryGateway(options: Partial<GatewayOptions> = {}): {
  gateway: Gateway;
  store: SqliteStore;
  calls: ModelCalls;
} {
  const store = new SqliteStore(":memory:");
  const settings = settingsSchema.parse({});
  const catalog = Catalog.builtIn();
  const calls: ModelCalls = { calls: [] };
  const resolve = async (spec: string): Promise<ResolvedModel> => {
    const entry = catalog.find(spec);
    if (!entry) throw new Error(`not in the test catalog: ${spec}`);
    return {
      entry,
      model: fixedAnswerModel("Hello from the scripted model.", calls),
      priceAt: (at) => priceAt(entry.prices, at) ?? freePrice(),
      usageOf: (usage) => usageOf(usage, "deepseek"),
      close: async () => {},
    };
  };
  const gateway = createGateway({ store, settings, catalog, resolveModel: resolve, ...options });
  return { gateway, store, calls };
}

export const chatBody = (extra: Record<string, unknown> = {}) =>
  JSON.stringify({ model: "deepseek-v4-flash", messages: [{ role: "user", content: "Hello" }], ...extra });

export const bearer = (key: string) => ({ authorization: `Bearer ${key}`, "content-type": "application/json" });
