import { TansuoError } from "../errors/tansuo-error.ts";

/** The user's tools cannot be registered or selected as given (a name clash, an unknown name, a bad schema). */
export class ToolRegistryError extends TansuoError {
  override readonly name = "ToolRegistryError";
  readonly kind = "user";
}
