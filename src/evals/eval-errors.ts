/** A dataset file is missing or malformed: the data folder (`--data`) is at fault, not the model or the harness. */
export class DatasetError extends Error {
  override readonly name = "DatasetError";
  constructor(
    readonly file: string,
    message: string,
  ) {
    super(message);
  }
}

/** The command was used in a way that cannot work: an unknown suite, a bad flag, an `--out` folder of other settings. */
export class EvalUsageError extends Error {
  override readonly name = "EvalUsageError";
}

/** The model cannot answer at all (bad key, unknown model, no balance): going on would only record the same error. */
export class ModelUnavailableError extends Error {
  override readonly name = "ModelUnavailableError";
}

/** A program the harness needs (python3, node, typescript) is missing from this machine. */
export class HarnessEnvironmentError extends Error {
  override readonly name = "HarnessEnvironmentError";
}
