import type { ContentfulStatusCode } from "hono/utils/http-status";
import { type ErrorKind, TansuoError } from "../errors/tansuo-error.ts";

/** OpenAI's error `type` values, plus the gateway's own for failures beyond the caller's control. */
export type OpenAiErrorType =
  | "invalid_request_error"
  | "authentication_error"
  | "permission_error"
  | "insufficient_quota"
  | "not_found_error"
  | "rate_limit_error"
  | "upstream_error"
  | "timeout_error"
  | "server_error"
  | "not_implemented";

interface GatewayErrorDetails {
  type: OpenAiErrorType;
  code: string | null;
  param?: string | null;
  headers?: Record<string, string>;
}

/** An error answered in OpenAI's format; each subclass names who is at fault and what to do next. */
export class GatewayError extends TansuoError {
  override readonly name: string = "GatewayError";
  readonly kind: ErrorKind;
  readonly type: OpenAiErrorType;
  readonly code: string | null;
  readonly param: string | null;
  readonly headers: Record<string, string>;

  constructor(
    readonly status: ContentfulStatusCode,
    message: string,
    details: GatewayErrorDetails,
  ) {
    super(message);
    // A 4xx answers a caller's mistake, a 5xx the gateway's own failure; UpstreamError says the provider's.
    this.kind = status >= 500 ? "internal" : "user";
    this.type = details.type;
    this.code = details.code;
    this.param = details.param ?? null;
    this.headers = details.headers ?? {};
  }
}

/** The caller sent a request the gateway cannot read or that fails the schema. */
export class InvalidRequestError extends GatewayError {
  override readonly name = "InvalidRequestError";
  constructor(message: string, options: { code?: string; param?: string | null } = {}) {
    super(400, message, { type: "invalid_request_error", code: options.code ?? "invalid_value", param: options.param });
  }
}

/** The caller's body is larger than the server accepts. */
export class BodyTooLargeError extends GatewayError {
  override readonly name = "BodyTooLargeError";
  constructor(limitBytes: number) {
    super(413, `The request body is larger than this server's limit of ${limitBytes} bytes. Send a smaller body.`, {
      type: "invalid_request_error",
      code: "request_too_large",
    });
  }
}

/** The caller sent no API key, or one the server does not know or has revoked. */
export class AuthenticationError extends GatewayError {
  override readonly name = "AuthenticationError";
  constructor(message: string, code: "missing_api_key" | "invalid_api_key" | "revoked_api_key") {
    super(401, message, { type: "authentication_error", code });
  }
}

/** The caller's key has spent its budget, or this request's worst case does not fit what is left. */
export class BudgetExceededError extends GatewayError {
  override readonly name = "BudgetExceededError";
  constructor(message: string) {
    super(402, message, { type: "insufficient_quota", code: "budget_exceeded" });
  }
}

/** The caller named a model, run or route this server does not have. */
export class NotFoundError extends GatewayError {
  override readonly name = "NotFoundError";
  constructor(message: string, options: { code: string; param?: string }) {
    super(404, message, {
      type: options.code === "model_not_found" ? "invalid_request_error" : "not_found_error",
      ...options,
    });
  }
}

/** The caller's key is over its requests-per-minute or concurrency limit; Retry-After says when to come back. */
export class RateLimitError extends GatewayError {
  override readonly name = "RateLimitError";
  constructor(
    message: string,
    options: { code: "rate_limit_exceeded" | "concurrency_limit_exceeded"; retryAfterSeconds: number },
  ) {
    super(429, message, {
      type: "rate_limit_error",
      code: options.code,
      headers: { "retry-after": String(options.retryAfterSeconds) },
    });
  }
}

/** The caller's key is valid but may not see this (admin-only data such as another key's runs or eval results). */
export class PermissionDeniedError extends GatewayError {
  override readonly name = "PermissionDeniedError";
  constructor(message: string, param?: string) {
    super(403, message, { type: "permission_error", code: "permission_denied", param });
  }
}

/** The caller asked for a state change the run is not in a state to take (approve a run that waits for nothing). */
export class RunStateConflictError extends GatewayError {
  override readonly name = "RunStateConflictError";
  constructor(message: string) {
    super(409, message, { type: "invalid_request_error", code: "run_state_conflict" });
  }
}

/** The model provider behind the gateway failed, refused or could not be reached; its message is kept. */
export class UpstreamError extends GatewayError {
  override readonly name = "UpstreamError";
  override readonly kind = "provider";
  constructor(
    status: 400 | 429 | 502 | 504,
    message: string,
    options: { code: string; headers?: Record<string, string> },
  ) {
    super(status, message, {
      type:
        status === 400
          ? "invalid_request_error"
          : status === 429
            ? "rate_limit_error"
            : status === 504
              ? "timeout_error"
              : "upstream_error",
      code: options.code,
      headers: options.headers,
    });
  }
}

/** The server itself is misconfigured or failed: the operator's to fix, not the caller's. */
export class ServerFaultError extends GatewayError {
  override readonly name = "ServerFaultError";
  constructor(message: string, code = "server_error", status: 500 | 501 | 503 = 500) {
    super(status, message, { type: status === 501 ? "not_implemented" : "server_error", code });
  }
}

/** Where a browser or DNS-rebinding refusal tells the operator to look. */
const userConfigFile = "$TANSUO_HOME/config.json";

/** The request's Host is not this gateway's address: it may come from a web page through DNS rebinding. */
export class HostNotAllowedError extends GatewayError {
  override readonly name = "HostNotAllowedError";
  constructor(host: string | undefined, accepted: readonly string[]) {
    super(
      421,
      `${host === undefined ? "The request has no Host header" : `Host "${host}" is not this gateway's address`} ` +
        `(it answers to ${accepted.join(", ")}); nothing was done. A web page can reach a local server under ` +
        `another name through DNS rebinding, so other names are refused. If this name is yours, add it to ` +
        `server.allowedHosts in ${userConfigFile}.`,
      { type: "invalid_request_error", code: "host_not_allowed", param: "Host" },
    );
  }
}

/** A web page from another origin tried to call the gateway from a browser. */
export class OriginNotAllowedError extends GatewayError {
  override readonly name = "OriginNotAllowedError";
  constructor(origin: string | undefined) {
    super(
      403,
      `${origin === undefined ? "A cross-site browser request" : `A request from the web page origin "${origin}"`} ` +
        "may not call this gateway: any site you visit could otherwise drive it and its agents. Nothing was done. " +
        `To let a site in, add its origin (such as "https://app.example.com") to server.allowedOrigins in ${userConfigFile}.`,
      { type: "invalid_request_error", code: "origin_not_allowed", param: "Origin" },
    );
  }
}

/** The caller sent a body that is not declared as UTF-8 JSON. */
export class UnsupportedMediaTypeError extends GatewayError {
  override readonly name = "UnsupportedMediaTypeError";
  constructor(message: string) {
    super(415, message, { type: "invalid_request_error", code: "unsupported_media_type", param: "Content-Type" });
  }
}
