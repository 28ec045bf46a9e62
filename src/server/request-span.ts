import type { MiddlewareHandler } from "hono";
import type { RequestTracing } from "../telemetry/telemetry.ts";
import type { GatewayEnv } from "./gateway-env.ts";

/**
 * A server span around each request it is mounted on. A streamed answer is written to the Node response after the
 * handler returns, so the span ends when that response closes; in memory (`app.request`) when the handler returns.
 */
export function requestSpan(tracing: RequestTracing): MiddlewareHandler<GatewayEnv> {
  return async (c, next) => {
    const request = tracing.startRequest({
      method: c.req.method,
      path: c.req.path,
      url: c.req.url,
      userAgent: c.req.header("user-agent"),
      traceParent: c.req.header("traceparent"),
      traceState: c.req.header("tracestate"),
    });
    c.set("trace", request);
    await request.within(next);
    const outgoing = c.env?.outgoing;
    if (outgoing && !outgoing.writableFinished) {
      outgoing.once("close", () => request.end(outgoing.statusCode, c.error));
    } else request.end(outgoing?.statusCode ?? c.res.status, c.error);
  };
}
