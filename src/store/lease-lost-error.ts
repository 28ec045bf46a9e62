import { TansuoError } from "../errors/tansuo-error.ts";

/** A write made on a lease the writer no longer holds: another process took the run over, so nothing was written. */
export class LeaseLostError extends TansuoError {
  override readonly name = "LeaseLostError";
  readonly kind = "user";

  constructor(runId: string, owner: string) {
    super(
      `Run ${runId} is no longer executed by ${owner}: another process took it over, so this write was not made. ` +
        "Nothing of it was kept; the new owner continues the run.",
    );
  }
}
