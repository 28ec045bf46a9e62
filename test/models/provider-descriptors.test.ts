import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { createRuntime, executeRun, startRun } from "../../src/agent/index.ts";
import { ConfigError, loadSettings } from "../../src/config/load-settings.ts";
import {
  Catalog,
  openAiChatModel,
  type ProviderDescriptor,
  registerProvider,
  resolveModel,
  UnknownProviderError,
} from "../../src/index.ts";
import { providerFor } from "../../src/models/providers/provider-registry.ts";
import { findEntry } from "../../src/models/resolve-model.ts";
import { resolvedFromEntry } from "../../src/models/resolved-from-entry.ts";
import { SqliteStore } from "../../src/store/sqlite-store.ts";
import { ScriptedModel } from "../../src/testing/index.ts";
import { startDeepSeekServer } from "../support/deepseek-server/index.ts";

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

// A provider of our own: an OpenAI-compatible server whose thinking switch is `enable_thinking` (DashScope-style).
const acmeProvider: ProviderDescriptor = {
  kind: "acme",
  apiKeyEnv: "ACME_API_KEY",
  acceptsAdHocSpecs: true,
  requiresApiKey: true,
  usageSemantics: "deepseek",
  reasoningReplay: "tool-turns",
  createModel: (entry, connection) => openAiChatModel("acme", entry, connection, "deepseek"),
  thinkingOptions: (on) => ({ tansuo: { requestFields: { enable_thinking: on } } }),
};

function folders() {
  const folder = mkdtempSync(path.join(tmpdir(), "tansuo-provider-"));
  const workspace = path.join(folder, "workspace");
  mkdirSync(workspace);
  cleanups.push(() => rmSync(folder, { recursive: true, force: true }));
  return { folder, workspace };
}

describe("a provider registered as one descriptor", () => {
  it("runs an agent step through its own wire, thinking switch, key and usage semantics", async () => {
    registerProvider(acmeProvider);
    const apiKey = "sk-acme-000111";
    const server = await startDeepSeekServer({
      apiKey,
      script: [{ content: "All done.", usage: { promptTokens: 1000, cacheHitTokens: 800, completionTokens: 50 } }],
    });
    cleanups.push(() => server.close());
    const { folder, workspace } = folders();
    const catalog = Catalog.builtIn().withOverrides([
      {
        id: "acme-think",
        provider: "acme",
        upstreamModel: "acme-think-1",
        baseUrl: `${server.url}/v1`,
        apiKeyEnv: "ACME_API_KEY",
        contextWindow: 32000,
        maxOutputTokens: 4096,
        capabilities: { tools: true, thinking: true },
        // USD per 1M tokens.
        prices: [{ effectiveFrom: "2025-01-01", inputCacheHit: "0.1", inputCacheMiss: "1", output: "2" }],
      },
    ]);
    const store = new SqliteStore(path.join(folder, "runs.db"));
    cleanups.push(() => store.close());
    const runtime = createRuntime({
      store,
      resolveModel: (spec, options) =>
        resolveModel(spec, {
          catalog,
          env: { ACME_API_KEY: apiKey },
          modelsDirectory: path.join(folder, "models"),
          baseUrl: options.baseUrl,
          retryPolicy: { maxRetries: 0, initialDelayMilliseconds: 1, maxDelayMilliseconds: 1 },
        }),
    });
    const run = await startRun(runtime, {
      task: "Say you are done.",
      model: "acme-think",
      workspace,
      thinking: "on",
      budgetUsd: "0.01",
      tools: [],
    });
    const finished = await executeRun(runtime, run.id);

    expect(finished).toMatchObject({ status: "succeeded", output: "All done.", stepCount: 1 });
    expect(server.requests).toHaveLength(1);
    expect(server.requests[0]?.headers.authorization).toBe(`Bearer ${apiKey}`);
    expect(server.requests[0]?.body).toMatchObject({ model: "acme-think-1", enable_thinking: true });
    // DeepSeek semantics: 800 cache hits, 200 misses, 50 output = (800 * 0.1 + 200 * 1 + 50 * 2) / 1M dollars.
    expect(finished.usage).toMatchObject({ inputTokens: 1000, cacheHitTokens: 800, cacheMissTokens: 200 });
    expect(finished.costUsd).toBe("0.00038");
  });

  it("lends its key variable to ad-hoc <kind>/<model> specs and refuses to run without the key", async () => {
    registerProvider(acmeProvider);
    const entry = findEntry(Catalog.builtIn(), "acme/tiny");
    expect(entry).toMatchObject({ provider: "acme", upstreamModel: "tiny", apiKeyEnv: "ACME_API_KEY" });
    await expect(
      resolveModel("acme-keyed", { catalog: keyedCatalog(), env: {}, modelsDirectory: "/x" }),
    ).rejects.toThrow(/acme-keyed needs an API key: set ACME_API_KEY, or .* under providers\.acme\.apiKey/);
  });

  it("a config row naming an unregistered provider is refused when the config is read", () => {
    const { folder } = folders();
    writeFileSync(
      path.join(folder, "config.json"),
      JSON.stringify({
        models: [{ id: "x", provider: "nobody", upstreamModel: "x", contextWindow: 1000, maxOutputTokens: 100 }],
      }),
    );
    const read = () => loadSettings({ cwd: folder, env: { TANSUO_HOME: folder } });
    expect(read).toThrow(ConfigError);
    expect(read).toThrow(/models\.0 \(x\)\.provider: "nobody" is not one of deepseek, openai/);
    expect(() => providerFor("nobody")).toThrow(UnknownProviderError);
  });
});

function keyedCatalog() {
  return Catalog.builtIn().withOverrides([
    {
      id: "acme-keyed",
      provider: "acme",
      upstreamModel: "tiny",
      baseUrl: "https://acme.example/v1",
      apiKeyEnv: "ACME_API_KEY",
      contextWindow: 1000,
      maxOutputTokens: 100,
    },
  ]);
}

describe("built-in descriptors map --thinking into each provider's own options", () => {
  const thinkingOf = (id: string, setting: "on" | "off" | "auto") => {
    const entry = findEntry(Catalog.builtIn(), id);
    const resolved = resolvedFromEntry(entry, new ScriptedModel([]), providerFor(entry.provider));
    return resolved.thinkingOptions?.(setting);
  };

  it("deepseek and openai-compatible take Tansuo's own switch; openai, anthropic and google their SDK's", () => {
    expect(thinkingOf("deepseek-v4-flash", "off")).toEqual({ tansuo: { thinking: "disabled" } });
    expect(thinkingOf("qwen-plus", "on")).toEqual({ tansuo: { thinking: "enabled" } });
    expect(thinkingOf("gpt-5", "off")).toEqual({ openai: { reasoningEffort: "minimal" } });
    expect(thinkingOf("claude-sonnet-4-5", "on")).toEqual({
      anthropic: { thinking: { type: "enabled", budgetTokens: 8192 } },
    });
    expect(thinkingOf("gemini-2.5-flash", "off")).toEqual({ google: { thinkingConfig: { thinkingBudget: 0 } } });
  });

  it("auto, and models without the thinking capability, send nothing", () => {
    expect(thinkingOf("deepseek-v4-flash", "auto")).toBeUndefined();
    expect(thinkingOf("deepseek-chat", "on")).toBeUndefined();
    expect(thinkingOf("gpt-4o", "on")).toBeUndefined();
  });
});
