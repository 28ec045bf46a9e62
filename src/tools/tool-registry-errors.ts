/** The user's tools cannot be registered or selected as given (a name clash, an unknown name, a bad schema). */
export class ToolRegistryError extends Error {
  override readonly name = "ToolRegistryError";
}
