import { TansuoError } from "../errors/tansuo-error.ts";

/** The run cannot be used as asked (unknown id, wrong state); the message says what to do instead. */
export class RunStateError extends TansuoError {
  override readonly name = "RunStateError";
  readonly kind = "user";
}
