import { isIP } from "node:net";
import { TansuoError } from "../errors/tansuo-error.ts";

/** True for addresses only this machine can reach: 127.0.0.0/8, ::1 and localhost. */
export function isLoopbackHost(host: string): boolean {
  const bare = host.replace(/^\[|\]$/g, "").toLowerCase();
  if (bare === "localhost" || bare === "::1" || bare === "0:0:0:0:0:0:0:1") return true;
  if (bare.startsWith("::ffff:")) return isLoopbackHost(bare.slice(7));
  return isIP(bare) === 4 && bare.startsWith("127.");
}

/** The operator asked to listen beyond this machine with no API key to protect the models and their money. */
export class UnprotectedBindError extends TansuoError {
  override readonly name = "UnprotectedBindError";
  readonly kind = "user";
  constructor(readonly host: string) {
    super(
      `Refusing to listen on ${host} with no API keys: anyone who can reach it could spend your model budget. ` +
        "Create a key first with `tansuo keys create --name <name> [--budget <usd>]`, or listen on 127.0.0.1.",
    );
  }
}
