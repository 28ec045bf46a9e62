import path from "node:path";
import {
  createEmbeddedModel,
  defaultEmbeddedModel,
  type EmbeddedLanguageModel,
  resolveModelSource,
} from "./embedded/index.ts";
import { modelEntrySchema } from "./model-entry.ts";
import { embeddedProvider } from "./providers/embedded-provider.ts";
import { findRecommendedModel } from "./recommended-models.ts";
import type { ResolveModelOptions } from "./resolve-model-options.ts";
import { resolvedFromEntry } from "./resolved-from-entry.ts";
import type { ResolvedModel } from "./resolved-model.ts";
import { registerModelTokenizer, unregisterModelTokenizer } from "./tokenizers/tokenizer-registry.ts";

// A local model costs no money: a zero price row, so a budget applies to it like to any priced model.
const noCost = { effectiveFrom: "1970-01-01", inputCacheHit: "0", inputCacheMiss: "0", output: "0", source: "local" };

// Loading weights takes seconds: one loaded model per file per process, shared and freed with its last user.
const loaded = new Map<string, { model: EmbeddedLanguageModel; users: number }>();

/** A .gguf path or hf: URI (or nothing: the default local model, downloaded on first use) made callable. */
export async function resolveEmbeddedModel(
  spec: string | undefined,
  options: ResolveModelOptions,
): Promise<ResolvedModel> {
  const recommended = findRecommendedModel(spec ?? defaultEmbeddedModel.uri);
  const modelPath = await resolveModelSource(spec ?? defaultEmbeddedModel.uri, {
    modelsDirectory: options.modelsDirectory,
    onProgress: options.onDownloadProgress,
    downloadBaseUrl: options.huggingFaceEndpoint,
    expectedFiles: recommended?.files,
  });
  let shared = loaded.get(modelPath);
  if (!shared) {
    shared = {
      model: createEmbeddedModel({
        modelPath,
        contextSize: options.embedded?.contextSize,
        gpu: options.embedded?.gpu === false ? false : undefined,
        threads: options.embedded?.threads,
        chatWrapper: options.embedded?.chatWrapper,
      }),
      users: 0,
    };
    loaded.set(modelPath, shared);
  }
  shared.users += 1;
  const model = shared.model;
  const release = async () => {
    const current = loaded.get(modelPath);
    if (!current) return;
    current.users -= 1;
    if (current.users <= 0) {
      loaded.delete(modelPath);
      unregisterModelTokenizer(modelPath);
      await current.model.close();
    }
  };
  const info = await model.load().catch(async (error: unknown) => {
    await release();
    throw error;
  });
  // While the file is loaded, prompts for it are counted with its own tokenizer (the entry's "embedded").
  registerModelTokenizer(modelPath, await model.promptTokenizer());
  const entry = modelEntrySchema.parse({
    id: modelPath,
    provider: embeddedProvider.kind,
    upstreamModel: path.basename(modelPath, ".gguf"),
    contextWindow: info.contextSize,
    maxOutputTokens: Math.max(256, Math.floor(info.contextSize / 2)),
    defaultOutputTokens: Math.min(1024, Math.max(128, Math.floor(info.contextSize / 4))),
    // A reasoning model's <think> part comes back from the chat wrapper as a thought segment: reasoning.
    capabilities: { tools: true, thinking: recommended?.reasoning === "think-tags" },
    thinkingToggle: recommended?.reasoning === "think-tags" ? "always-on" : "none",
    reasoningReplay: embeddedProvider.reasoningReplay,
    tokenizer: "embedded",
    prices: [noCost],
    notes: `Runs in-process with llama.cpp (${info.chatTemplate} chat format); costs no money.`,
  });
  let closed = false;
  return resolvedFromEntry(entry, model, embeddedProvider, async () => {
    if (closed) return;
    closed = true;
    await release();
  });
}
