import type { Context, MiddlewareHandler } from "hono";
import { corsHeaders, preflightResponse } from "./cors-headers.ts";
import { errorEnvelopeFor } from "./error-envelopes.ts";
import { errorResponse } from "./error-response.ts";
import type { GatewayEnv } from "./gateway-env.ts";
import { HostNotAllowedError, OriginNotAllowedError } from "./gateway-errors.ts";
import type { HostPolicy } from "./host-policy.ts";
import { checkJsonContentType } from "./json-content-type.ts";
import type { OriginPolicy } from "./origin-policy.ts";

const withHeaders = (response: Response, headers: Record<string, string>): Response => {
  for (const [name, value] of Object.entries(headers)) response.headers.set(name, value);
  return response;
};

const bodilessMethods = new Set(["GET", "HEAD", "OPTIONS"]);

/** True when the request carries a body: by its headers behind Node, by the web request in memory. */
function hasBody(c: Context<GatewayEnv>): boolean {
  if (bodilessMethods.has(c.req.method)) return false;
  const length = c.req.header("content-length");
  if (length !== undefined) return Number(length) !== 0;
  if (c.req.header("transfer-encoding") !== undefined) return true;
  return c.env?.incoming === undefined && c.req.raw.body !== null;
}

/**
 * The gateway's first check on every route, before any work: the Host must be the gateway's (DNS rebinding),
 * a browser request must come from the gateway's own or a configured origin (CSRF), and a body must be JSON.
 * A configured origin gets CORS: its preflight is answered here and its answers carry Access-Control headers.
 */
export function requestGuard(hosts: HostPolicy, origins: OriginPolicy): MiddlewareHandler<GatewayEnv> {
  return async (c, next) => {
    // The URL's host is the Host header, or an absolute request target's; in memory there may be no header.
    const urlHost = new URL(c.req.url).host;
    const header = c.req.header("host");
    for (const candidate of header === undefined ? [urlHost] : [header, urlHost]) {
      if (!hosts.allows(candidate)) throw new HostNotAllowedError(candidate, hosts.accepted());
    }
    const host = header ?? urlHost;
    const origin = c.req.header("origin");
    const standing = origins.standing(origin, host, c.req.header("sec-fetch-site"));
    if (standing === "refused") throw new OriginNotAllowedError(origin);
    if (standing !== "allowed" || origin === undefined) {
      if (hasBody(c)) checkJsonContentType(c.req.header("content-type"));
      return next();
    }
    if (c.req.method === "OPTIONS" && c.req.header("access-control-request-method") !== undefined) {
      return preflightResponse(origin, c.req.header("access-control-request-headers"));
    }
    const headers = corsHeaders(origin);
    // Behind Node, set on the response itself so answers written straight to it (streams) carry them too.
    const outgoing = c.env?.outgoing;
    if (outgoing) for (const [name, value] of Object.entries(headers)) outgoing.setHeader(name, value);
    if (hasBody(c)) {
      try {
        checkJsonContentType(c.req.header("content-type"));
      } catch (error) {
        return withHeaders(errorResponse(error, errorEnvelopeFor(c.req.path)), outgoing ? {} : headers);
      }
    }
    await next();
    if (!outgoing) withHeaders(c.res, headers);
  };
}
