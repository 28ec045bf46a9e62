import { TansuoError } from "../errors/tansuo-error.ts";

/** The model called a tool wrongly; the message goes back to the model so it can correct the call. */
export class ToolInputError extends TansuoError {
  override readonly name = "ToolInputError";
  readonly kind = "model";
}
