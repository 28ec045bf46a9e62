import { TansuoError } from "./tansuo-error.ts";

/** An invariant of Tansuo's own broke: not the user's, model's or provider's fault, but a bug to report. */
export class InternalError extends TansuoError {
  override readonly name = "InternalError";
  readonly kind = "internal";
}
