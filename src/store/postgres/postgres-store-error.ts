import { TansuoError } from "../../errors/tansuo-error.ts";
import { redactPassword, redactStoreUrl } from "./redact-store-url.ts";

/** The Postgres store could not be opened; the message names the database without its password. */
export class PostgresStoreError extends TansuoError {
  override readonly name = "PostgresStoreError";
  readonly kind = "user";
  constructor(url: string, cause: unknown) {
    const reason = cause instanceof Error ? cause.message : String(cause);
    super(
      `Could not open the Postgres store at ${redactStoreUrl(url)}: ${redactPassword(reason, url)}. Nothing was ` +
        "read or written. Check that the server runs and accepts this user, or choose another store with " +
        "--store, TANSUO_STORE or the `store` config key.",
    );
  }
}
