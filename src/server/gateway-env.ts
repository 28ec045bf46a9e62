import type { ApiKeyRecord } from "../store/records.ts";

/** Who is calling: a key, or nobody (local use with no keys configured, on a loopback address). */
export interface Caller {
  key: ApiKeyRecord | undefined;
}

/** Hono's typing of what middleware hands to routes. */
export interface GatewayEnv {
  Variables: { caller: Caller };
}
