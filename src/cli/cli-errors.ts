import { TansuoError } from "../errors/tansuo-error.ts";

/** The command was given something that cannot work (a value that is not a date, an id that names nothing). */
export class CommandInputError extends TansuoError {
  override readonly name = "CommandInputError";
  readonly kind = "user";
}

/** The user stopped the command (Ctrl-C); the message says what was kept and how to go on. */
export class CommandInterruptedError extends TansuoError {
  override readonly name = "CommandInterruptedError";
  readonly kind = "user";
}
