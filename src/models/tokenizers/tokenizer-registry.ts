import { loadDeepSeekV3Tokenizer } from "./deepseek-v3-tokenizer.ts";
import type { PromptTokenizer } from "./prompt-tokenizer.ts";
import { loadTiktokenTokenizer } from "./tiktoken-tokenizer.ts";

/** The catalog's `tokenizer` names this build can count with, each loaded on its first use. */
const loaders: Record<string, () => Promise<PromptTokenizer>> = {
  "deepseek-v3": loadDeepSeekV3Tokenizer,
  o200k_base: () => loadTiktokenTokenizer("o200k_base"),
  cl100k_base: () => loadTiktokenTokenizer("cl100k_base"),
};

// A loaded model's own tokenizer (the embedded one), registered under its catalog id while it is loaded.
const registered = new Map<string, PromptTokenizer>();
const loading = new Map<string, Promise<PromptTokenizer>>();

/** Makes `tokenizer` the count for a model whose catalog `tokenizer` is "embedded" (`modelId` is its catalog id). */
export function registerModelTokenizer(modelId: string, tokenizer: PromptTokenizer): void {
  registered.set(modelId, tokenizer);
}

export function unregisterModelTokenizer(modelId: string): void {
  registered.delete(modelId);
}

/**
 * The tokenizer a catalog entry names, loaded once and shared; undefined when it names none, or "embedded" and
 * its model is not loaded in this process (the byte bound is used then).
 */
export async function tokenizerFor(entry: { id: string; tokenizer?: string }): Promise<PromptTokenizer | undefined> {
  const name = entry.tokenizer;
  if (name === undefined) return undefined;
  if (name === "embedded") return registered.get(entry.id);
  const load = loaders[name];
  if (!load) return undefined;
  let pending = loading.get(name);
  if (!pending) {
    pending = load();
    loading.set(name, pending);
    // A failed load is not kept: the next count tries again.
    pending.catch(() => loading.delete(name));
  }
  return pending;
}
