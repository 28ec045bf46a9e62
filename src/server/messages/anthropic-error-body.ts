import type { GatewayError } from "../gateway-errors.ts";

/** Anthropic's error type for a status, as its SDK and Claude Code read them. */
function anthropicErrorType(status: number): string {
  switch (status) {
    case 401:
      return "authentication_error";
    case 402:
      return "billing_error";
    case 403:
      return "permission_error";
    case 404:
      return "not_found_error";
    case 413:
      return "request_too_large";
    case 429:
      return "rate_limit_error";
    case 503:
    case 529:
      return "overloaded_error";
    case 504:
      return "timeout_error";
    default:
      return status >= 500 ? "api_error" : "invalid_request_error";
  }
}

/** Anthropic's error envelope: `{"type": "error", "error": {"type", "message"}}`, the gateway's code beside them. */
export function anthropicErrorBody(error: GatewayError) {
  return {
    type: "error",
    error: { type: anthropicErrorType(error.status), message: error.message, code: error.code, param: error.param },
  };
}
