/** How a browser request's origin stands: no browser origin, the gateway's own, configured, or refused. */
export type OriginStanding = "none" | "same-origin" | "allowed" | "refused";

const defaultPorts: Record<string, string> = { "http:": "80", "https:": "443" };

/** `scheme://host[:port]` as a browser sends it: lowercase, default port dropped, no path. */
export function normalizedOrigin(origin: string): string {
  const trimmed = origin.trim().replace(/\/+$/, "");
  try {
    const url = new URL(trimmed);
    if (url.origin !== "null") return url.origin;
  } catch {
    // Not a URL (such as "null"): compared as written.
  }
  return trimmed.toLowerCase();
}

/** The `host[:port]` of an origin, with the scheme's default port dropped, or undefined when it has none. */
function originAuthority(origin: string): string | undefined {
  try {
    const url = new URL(origin);
    if (!(url.protocol in defaultPorts)) return undefined;
    return url.port === "" || url.port === defaultPorts[url.protocol] ? url.hostname : `${url.hostname}:${url.port}`;
  } catch {
    return undefined;
  }
}

const withoutDefaultPort = (host: string) => host.toLowerCase().replace(/:(80|443)$/, "");

/**
 * Sorts a request by its `Origin` (and `Sec-Fetch-Site` when a browser sends no Origin). The gateway's own origin
 * is the one whose host is the request's Host (already checked to be the gateway's); others must be configured.
 */
export class OriginPolicy {
  private readonly allowed: Set<string>;

  constructor(allowedOrigins: readonly string[]) {
    this.allowed = new Set(allowedOrigins.map(normalizedOrigin));
  }

  standing(origin: string | undefined, host: string | undefined, fetchSite: string | undefined): OriginStanding {
    if (origin === undefined) return fetchSite?.toLowerCase() === "cross-site" ? "refused" : "none";
    const authority = originAuthority(origin);
    if (authority !== undefined && host !== undefined && authority.toLowerCase() === withoutDefaultPort(host)) {
      return "same-origin";
    }
    return this.allowed.has(normalizedOrigin(origin)) ? "allowed" : "refused";
  }
}
