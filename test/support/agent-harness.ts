import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { type AgentRuntime, createRuntime } from "../../src/agent/index.ts";
import { freePrice, priceAt } from "../../src/cost/price.ts";
import { type PriceRowInput, priceRowSchema } from "../../src/cost/price-row-schema.ts";
import { modelEntrySchema } from "../../src/models/model-entry.ts";
import type { ResolvedModel } from "../../src/models/resolved-model.ts";
import { usageOf } from "../../src/models/usage-of.ts";
import { SqliteStore } from "../../src/store/sqlite-store.ts";
import { ScriptedModel, type ScriptedStep } from "../../src/testing/index.ts";

/** A runtime over a real SQLite file and a strict scripted model, with a fresh workspace folder. */
export function scriptedHarness(
  steps: ScriptedStep[],
  options: { price?: PriceRowInput; vision?: boolean; contextWindow?: number } = {},
) {
  const folder = mkdtempSync(path.join(tmpdir(), "tansuo-agent-"));
  const workspace = path.join(folder, "workspace");
  const outside = path.join(folder, "outside");
  for (const directory of [workspace, outside]) rmSync(directory, { recursive: true, force: true });
  mkdirSync(workspace);
  mkdirSync(outside);
  const model = new ScriptedModel(steps);
  const prices = options.price ? [priceRowSchema.parse(options.price)] : [];
  const entry = modelEntrySchema.parse({
    id: "scripted",
    provider: "openai-compatible",
    upstreamModel: "scripted",
    contextWindow: options.contextWindow ?? 32000,
    maxOutputTokens: 4096,
    prices,
    ...(options.vision ? { capabilities: { tools: true, vision: true } } : {}),
  });
  const resolved: ResolvedModel = {
    entry,
    model,
    priceAt: (at) => priceAt(prices, at) ?? freePrice(),
    usageOf: (usage) => usageOf(usage, undefined),
    close: async () => {},
  };
  const store = new SqliteStore(path.join(folder, "tansuo.db"));
  const runtime: AgentRuntime = createRuntime({ store, resolveModel: async () => resolved });
  return {
    folder,
    workspace,
    outside,
    model,
    store,
    runtime,
    cleanup: () => {
      store.close();
      rmSync(folder, { recursive: true, force: true });
    },
  };
}
