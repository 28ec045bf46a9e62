import type { HttpBindings } from "@hono/node-server";
import type { ApiKeyRecord } from "../store/records.ts";
import type { RequestTrace } from "../telemetry/telemetry.ts";

/** Who is calling: a key, or nobody (local use with no keys configured, on a loopback address). */
export interface Caller {
  key: ApiKeyRecord | undefined;
}

/** Hono's typing of what middleware hands to routes, and of the Node request and response behind a request. */
export interface GatewayEnv {
  /** `trace`: the request's span, when telemetry is on. */
  Variables: { caller: Caller; trace?: RequestTrace };
  Bindings: Partial<HttpBindings> | undefined;
}
