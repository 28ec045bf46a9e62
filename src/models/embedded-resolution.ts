import type { ResolveModelOptions } from "./resolve-model-options.ts";
import type { ResolvedModel } from "./resolved-model.ts";

export async function resolveEmbeddedModel(
  spec: string | undefined,
  _options: ResolveModelOptions,
): Promise<ResolvedModel> {
  throw new Error(`embedded models are not wired yet (${spec})`);
}
