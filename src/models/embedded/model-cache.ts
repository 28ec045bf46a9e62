import type { Llama, LlamaModel } from "node-llama-cpp";

interface CachedModel {
  model: Promise<LlamaModel>;
  users: number;
}

// Loading weights is the slow part, so one copy per file and runtime serves every open embedded model.
const cache = new Map<string, CachedModel>();

/** The loaded model for a file, shared; every acquire needs one release. */
export function acquireModel(llama: Llama, modelPath: string): Promise<LlamaModel> {
  const key = cacheKey(llama, modelPath);
  let entry = cache.get(key);
  if (!entry) {
    const created: CachedModel = { model: llama.loadModel({ modelPath }), users: 0 };
    created.model.catch(() => {
      if (cache.get(key) === created) cache.delete(key);
    });
    cache.set(key, created);
    entry = created;
  }
  entry.users += 1;
  return entry.model;
}

/** Gives back one use; the last one frees the weights. */
export async function releaseModel(llama: Llama, modelPath: string): Promise<void> {
  const key = cacheKey(llama, modelPath);
  const entry = cache.get(key);
  if (!entry) return;
  entry.users -= 1;
  if (entry.users > 0) return;
  cache.delete(key);
  const model = await entry.model.catch(() => undefined);
  await model?.dispose();
}

function cacheKey(llama: Llama, modelPath: string): string {
  return `${String(llama.gpu)}\u0000${modelPath}`;
}
