import { builtInProviders } from "./built-in-providers.ts";
import type { ProviderDescriptor } from "./provider-descriptor.ts";
import { UnknownProviderError } from "./unknown-provider-error.ts";

const registered = new Map<string, ProviderDescriptor>(builtInProviders.map((provider) => [provider.kind, provider]));

/** Adds a provider kind (or replaces one of the same kind) for every catalog and resolver in this process. */
export function registerProvider(provider: ProviderDescriptor): void {
  registered.set(provider.kind, provider);
}

export const isRegisteredProvider = (kind: string): boolean => registered.has(kind);

/** Every registered provider, built-ins first, in the order they were registered. */
export const registeredProviders = (): ProviderDescriptor[] => [...registered.values()];

/** The descriptor for a catalog row's `provider` field. */
export function providerFor(kind: string): ProviderDescriptor {
  const provider = registered.get(kind);
  if (!provider) throw new UnknownProviderError(kind, [...registered.keys()]);
  return provider;
}
