import { TansuoError } from "../../errors/tansuo-error.ts";

/** The user's config requires a sandbox and this machine cannot give one: nothing was run. */
export class SandboxUnavailableError extends TansuoError {
  override readonly name = "SandboxUnavailableError";
  readonly kind = "user";
  constructor(reason: string) {
    super(
      `the sandbox is required ($TANSUO_HOME/config.json sets shell.sandbox to "required"), but ${reason}. ` +
        'Nothing was run. Install bubblewrap (Debian/Ubuntu: apt install bubblewrap) or set shell.sandbox to "auto".',
    );
  }
}
