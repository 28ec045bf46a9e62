import { redactStoreUrl } from "./redact-store-url.ts";

/**
 * A store URL's `pool_size` parameter (how many connections one process opens for its queries), taken out of the URL
 * the driver is given. Undefined when the URL names none. A value that is not a whole number from 1 is an error.
 */
export function takePoolSize(url: string): { url: string; poolSize?: number } {
  const match = /([?&])pool_size=([^&#]*)&?/.exec(url);
  if (!match) return { url };
  const poolSize = Number(decodeURIComponent(match[2]!));
  if (!Number.isInteger(poolSize) || poolSize < 1) {
    throw new Error(
      `The store URL ${redactStoreUrl(url)} has pool_size=${match[2]}; it must be a whole number of connections ` +
        "from 1 (the default is 10). Nothing was opened; fix the URL (--store, TANSUO_STORE or config store).",
    );
  }
  // The parameter goes, its separator with it; a `?` left with nothing after it goes too.
  const rest = url.slice(0, match.index) + match[1] + url.slice(match.index + match[0].length);
  return { url: rest.replace(/[?&]$/, ""), poolSize };
}
