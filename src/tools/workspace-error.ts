import { TansuoError } from "../errors/tansuo-error.ts";

/** The folder named as a run's workspace is missing or is not a folder; nothing was started in it. */
export class WorkspaceError extends TansuoError {
  override readonly name = "WorkspaceError";
  readonly kind = "user";
}
