import { TansuoError } from "../errors/tansuo-error.ts";

/** An Agent was made without what it needs (no model); the message names the option to pass. */
export class AgentOptionsError extends TansuoError {
  override readonly name = "AgentOptionsError";
  readonly kind = "user";
}

/** The run cannot be used as asked (unknown id, wrong state); the message says what to do instead. */
export class RunStateError extends TansuoError {
  override readonly name = "RunStateError";
  readonly kind = "user";
}
