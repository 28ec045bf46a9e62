import { UnknownModelError } from "../model-errors.ts";
import type { ProviderDescriptor } from "./provider-descriptor.ts";

/** A local GGUF model run in-process by llama.cpp: named by a .gguf path or hf: URI, never by a catalog row. */
export const embeddedProvider: ProviderDescriptor = {
  kind: "embedded",
  acceptsAdHocSpecs: false,
  runsInProcess: true,
  requiresApiKey: false,
  reasoningReplay: "strip",
  createModel: async (entry) => {
    throw new UnknownModelError(entry.id);
  },
  thinkingOptions: () => undefined,
};
