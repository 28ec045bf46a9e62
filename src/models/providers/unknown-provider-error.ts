import { TansuoError } from "../../errors/tansuo-error.ts";

/** A catalog row or spec names a provider kind no descriptor is registered for. */
export class UnknownProviderError extends TansuoError {
  override readonly name = "UnknownProviderError";
  readonly kind = "user";
  constructor(
    readonly providerKind: string,
    readonly knownKinds: readonly string[],
  ) {
    super(
      `Unknown provider "${providerKind}": no descriptor is registered for it (known: ${knownKinds.join(", ")}). ` +
        "Fix the model's provider field in config, or register a descriptor with registerProvider before resolving.",
    );
  }
}
