import { GatewayError, ServerFaultError } from "./gateway-errors.ts";

/** OpenAI's error envelope: `{"error": {"message", "type", "code", "param"}}`. */
export function openAiErrorBody(error: GatewayError) {
  return { error: { message: error.message, type: error.type, code: error.code, param: error.param } };
}

/** The HTTP answer for any error: a GatewayError keeps its status; anything else is the server's fault (500). */
export function errorResponse(error: unknown): Response {
  const gatewayError =
    error instanceof GatewayError
      ? error
      : new ServerFaultError(`The gateway failed while handling this request: ${messageOf(error)}`);
  return new Response(JSON.stringify(openAiErrorBody(gatewayError)), {
    status: gatewayError.status,
    headers: { "content-type": "application/json", ...gatewayError.headers },
  });
}

export const messageOf = (error: unknown): string => (error instanceof Error ? error.message : String(error));
