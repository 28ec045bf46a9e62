import { GatewayError, ServerFaultError } from "./gateway-errors.ts";

/** OpenAI's error envelope: `{"error": {"message", "type", "code", "param"}}`. */
export function openAiErrorBody(error: GatewayError) {
  return { error: { message: error.message, type: error.type, code: error.code, param: error.param } };
}

/**
 * The HTTP answer for any error: a GatewayError keeps its status; anything else is the server's fault (500). The body
 * is OpenAI's envelope unless the route's API has its own (`error-envelopes.ts`).
 */
export function errorResponse(error: unknown, envelope: (error: GatewayError) => unknown = openAiErrorBody): Response {
  const gatewayError = error instanceof GatewayError ? error : gatewayFault(error);
  return new Response(JSON.stringify(envelope(gatewayError)), {
    status: gatewayError.status,
    headers: { "content-type": "application/json", ...gatewayError.headers },
  });
}

/** An error of the gateway's own code (not the caller's, not the upstream's): a 500 that says so. */
export const gatewayFault = (error: unknown): ServerFaultError =>
  new ServerFaultError(
    `Tansuo's gateway failed: ${messageOf(error)}. This is a fault in the gateway, not in the request or the ` +
      "model provider. Report it to the operator.",
  );

export const messageOf = (error: unknown): string => (error instanceof Error ? error.message : String(error));
