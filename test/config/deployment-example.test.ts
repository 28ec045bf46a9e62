import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { settingsSchema } from "../../src/config/settings-schema.ts";
import { priceAt } from "../../src/cost/price.ts";
import { Catalog } from "../../src/models/catalog.ts";
import { repositoryRoot } from "../support/cli-process.ts";

// The self-hosted model example in docs/deployment.md must stay a config Tansuo accepts, priced as it says.
describe("docs/deployment.md's self-hosted model", () => {
  it("is a valid config whose entry is an OpenAI-compatible catalog model at its own price", () => {
    const text = readFileSync(path.join(repositoryRoot, "docs", "deployment.md"), "utf8");
    const block = /```json\n([\s\S]*?)\n```/.exec(text)?.[1];
    expect(block, "a json block in docs/deployment.md").toBeDefined();
    const settings = settingsSchema.parse(JSON.parse(block!));
    const catalog = Catalog.builtIn().withOverrides(settings.models);
    const entry = catalog.find(settings.defaultModel!);
    expect(entry).toMatchObject({ provider: "openai-compatible", upstreamModel: "deepseek-ai/DeepSeek-V3" });
    expect(priceAt(entry!.prices, new Date("2026-12-02T00:00:00Z"))).toMatchObject({
      inputCacheHit: "0.02",
      inputCacheMiss: "0.10",
      output: "0.40",
    });
  });
});
