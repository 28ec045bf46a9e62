/** A catalog row or spec names a provider kind no descriptor is registered for. */
export class UnknownProviderError extends Error {
  override readonly name = "UnknownProviderError";
  constructor(
    readonly kind: string,
    readonly knownKinds: readonly string[],
  ) {
    super(
      `Unknown provider "${kind}": no descriptor is registered for it (known: ${knownKinds.join(", ")}). ` +
        "Fix the model's provider field in config, or register a descriptor with registerProvider before resolving.",
    );
  }
}
