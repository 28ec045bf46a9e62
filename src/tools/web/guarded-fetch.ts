import type { AllowedHosts } from "./allowed-hosts.ts";
import { checkedAddress } from "./checked-address.ts";
import { type PinnedResponse, pinnedGet } from "./pinned-request.ts";
import { WebAccessRefusedError } from "./web-errors.ts";

export const maximumRedirects = 5;
const redirectStatuses = new Set([301, 302, 303, 307, 308]);

export interface FetchedPage extends PinnedResponse {
  url: URL;
  /** Every URL before the final one, in order. */
  redirectedFrom: string[];
}

/** Refuses what fetch_url never sends: other schemes and credentials in the URL (they would leave with the request). */
export function checkedUrl(text: string, base?: URL): URL {
  let url: URL;
  try {
    url = new URL(text, base);
  } catch {
    throw new WebAccessRefusedError(`fetch_url needs an absolute http:// or https:// URL; "${text}" is not one.`);
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") {
    throw new WebAccessRefusedError(`fetch_url reads only http:// and https:// URLs; ${url.protocol} is refused.`);
  }
  if (url.username !== "" || url.password !== "") {
    throw new WebAccessRefusedError(
      "fetch_url refuses URLs with a user name or password in them (user:pass@host); ask for the page without them.",
    );
  }
  url.hash = "";
  return url;
}

/** GET with redirects followed by hand, so every hop's address is checked after DNS before anything is sent to it. */
export async function guardedFetch(
  start: URL,
  options: { allowed: AllowedHosts; maximumBytes: number; signal: AbortSignal },
): Promise<FetchedPage> {
  const redirectedFrom: string[] = [];
  let url = start;
  for (;;) {
    const pinned = await checkedAddress(url, options.allowed);
    options.signal.throwIfAborted();
    const response = await pinnedGet(url, pinned, options);
    const location = response.headers.location;
    if (!redirectStatuses.has(response.status) || location === undefined) {
      return { ...response, url, redirectedFrom };
    }
    if (redirectedFrom.length >= maximumRedirects) {
      throw new WebAccessRefusedError(
        `fetch_url stopped after ${maximumRedirects} redirects (from ${start.href}, last to ${location}); ` +
          "fetch the last URL directly if it is the page you want.",
      );
    }
    redirectedFrom.push(url.href);
    url = checkedUrl(location, url);
  }
}
