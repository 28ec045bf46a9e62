import { TansuoError } from "../errors/tansuo-error.ts";

/** A dataset file is missing or malformed: the data folder (`--data`) is at fault, not the model or the harness. */
export class DatasetError extends TansuoError {
  override readonly name = "DatasetError";
  readonly kind = "user";
  constructor(
    readonly file: string,
    message: string,
  ) {
    super(message);
  }
}

/** The command was used in a way that cannot work: an unknown suite, a bad flag, an `--out` folder of other settings. */
export class EvalUsageError extends TansuoError {
  override readonly name = "EvalUsageError";
  readonly kind = "user";
}

/** The model cannot answer at all (bad key, unknown model, no balance): going on would only record the same error. */
export class ModelUnavailableError extends TansuoError {
  override readonly name = "ModelUnavailableError";
  readonly kind = "provider";
}

/** A program the harness needs (python3, node, typescript) is missing from this machine. */
export class HarnessEnvironmentError extends TansuoError {
  override readonly name = "HarnessEnvironmentError";
  readonly kind = "user";
}
