import { lookup } from "node:dns/promises";
import { isIP } from "node:net";
import { nonPublicReason } from "./address-class.ts";
import type { AllowedHosts } from "./allowed-hosts.ts";
import { WebAccessRefusedError } from "./web-errors.ts";

export interface CheckedAddress {
  address: string;
  family: 4 | 6;
}

/**
 * Resolves a URL's host and refuses it when any of its addresses is not public and not allowed: a name with one
 * public and one private address could reach either, so all are checked. The first address is the one to connect to.
 */
export async function checkedAddress(url: URL, allowed: AllowedHosts): Promise<CheckedAddress> {
  const hostname = url.hostname.replace(/^\[|\]$/g, "");
  const addresses =
    isIP(hostname) !== 0
      ? [{ address: hostname, family: isIP(hostname) }]
      : await lookup(hostname, { all: true, verbatim: true }).catch((error: NodeJS.ErrnoException) => {
          throw new WebAccessRefusedError(`fetch_url could not resolve ${hostname} (${error.code ?? error.message}).`);
        });
  if (addresses.length === 0) throw new WebAccessRefusedError(`fetch_url found no address for ${hostname}.`);
  for (const { address } of addresses) {
    const reason = nonPublicReason(address);
    if (reason === undefined || allowed.allows(hostname, address)) continue;
    const named = address === hostname ? address : `${hostname} (${address})`;
    throw new WebAccessRefusedError(
      `fetch_url refused ${url.origin}: ${named} is a ${reason} address, not a public one, so nothing was sent. ` +
        `The user can allow it by adding "${address}" to web.allowHosts in $TANSUO_HOME/config.json.`,
    );
  }
  const first = addresses[0]!;
  return { address: first.address, family: first.family === 6 ? 6 : 4 };
}
