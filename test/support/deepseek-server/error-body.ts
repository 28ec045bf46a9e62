/** DeepSeek's JSON error envelope, as seen on the wire. */
export interface WireError {
  error: { message: string; type: string; param: null; code: string };
}

interface ErrorDefaults {
  message: string;
  type: string;
  code: string;
}

// Messages follow DeepSeek's error-code table; 400/401/402 types and codes follow captured DeepSeek responses.
const defaultsByStatus: Record<number, ErrorDefaults> = {
  400: { message: "Invalid Format", type: "invalid_request_error", code: "invalid_request_error" },
  401: { message: "Authentication Fails", type: "authentication_error", code: "invalid_request_error" },
  402: { message: "Insufficient Balance", type: "unknown_error", code: "invalid_request_error" },
  404: { message: "Not Found", type: "invalid_request_error", code: "not_found" },
  422: { message: "Invalid Parameters", type: "invalid_request_error", code: "invalid_request_error" },
  429: { message: "Rate Limit Reached", type: "rate_limit_error", code: "rate_limit_exceeded" },
  500: { message: "Server Error", type: "server_error", code: "server_error" },
  503: { message: "Server Overloaded", type: "service_unavailable_error", code: "server_overloaded" },
};

const fallbackDefaults: ErrorDefaults = { message: "Error", type: "unknown_error", code: "unknown_error" };

export function errorBody(status: number, overrides: Partial<ErrorDefaults> = {}): WireError {
  const defaults = defaultsByStatus[status] ?? fallbackDefaults;
  return {
    error: {
      message: overrides.message ?? defaults.message,
      type: overrides.type ?? defaults.type,
      param: null,
      code: overrides.code ?? defaults.code,
    },
  };
}
