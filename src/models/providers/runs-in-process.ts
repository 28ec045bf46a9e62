import { isEmbeddedSpec } from "../resolve-model.ts";
import { embeddedProvider } from "./embedded-provider.ts";
import { isRegisteredProvider, providerFor } from "./provider-registry.ts";

/** True when models of this provider kind run in this process (see ProviderDescriptor.runsInProcess). */
export const runsInProcess = (kind: string): boolean =>
  isRegisteredProvider(kind) && providerFor(kind).runsInProcess === true;

/** The provider of a spec that names a local model file rather than a catalog row (a .gguf path, an hf: URI). */
export const localSpecProvider = (spec: string) => (isEmbeddedSpec(spec) ? embeddedProvider : undefined);
