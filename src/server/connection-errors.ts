import { type IncomingMessage, type ServerResponse, STATUS_CODES } from "node:http";
import type { Socket } from "node:net";
import { RequestError } from "@hono/node-server";
import { errorResponse, messageOf, openAiErrorBody } from "./error-response.ts";
import { GatewayError, InvalidRequestError } from "./gateway-errors.ts";

/** A request @hono/node-server could not turn into a web request (a malformed Host or request target). */
export function requestErrorResponse(error: unknown): Response {
  if (!(error instanceof RequestError)) return errorResponse(error);
  return errorResponse(
    new InvalidRequestError(
      `The request could not be read: ${error.message}. Nothing was done. Send a valid request target and a ` +
        "Host header naming this gateway's address.",
      { code: "invalid_request_line" },
    ),
  );
}

function clientErrorOf(error: NodeJS.ErrnoException): GatewayError {
  switch (error.code) {
    case "ERR_HTTP_REQUEST_TIMEOUT":
      return new GatewayError(
        408,
        "The request's headers and body did not arrive in time; the connection was closed and nothing was done. Send the whole request without pauses.",
        { type: "invalid_request_error", code: "request_timeout" },
      );
    case "HPE_HEADER_OVERFLOW":
      return new GatewayError(
        431,
        "The request's headers are larger than this server accepts; nothing was done. Send smaller headers.",
        { type: "invalid_request_error", code: "headers_too_large" },
      );
    default:
      return new InvalidRequestError(
        `The request is not valid HTTP (${error.code ?? messageOf(error)}); the connection was closed and nothing was done.`,
        { code: "invalid_http" },
      );
  }
}

/** A response in progress on the socket, as Node's own clientError answer checks before writing one. */
type HttpSocket = Socket & { _httpMessage?: { headersSent: boolean } };

/**
 * Node's `clientError`: malformed HTTP, oversized headers, or a request that did not arrive within the timeouts
 * (a slow client). Answered in OpenAI's error format when no answer has started on the socket, then closed.
 */
export function answerClientError(error: NodeJS.ErrnoException, socket: HttpSocket): void {
  if (error.code === "ECONNRESET" || !socket.writable || socket._httpMessage?.headersSent) {
    socket.destroy();
    return;
  }
  writeErrorAndClose(socket, clientErrorOf(error));
}

/** A CONNECT request: the gateway is no proxy, so it answers in OpenAI's format and closes instead of tunnelling. */
export function answerConnectRequest(_request: unknown, socket: Socket): void {
  writeErrorAndClose(
    socket,
    new GatewayError(405, "This server is an API, not a proxy: CONNECT is not served. Nothing was done.", {
      type: "invalid_request_error",
      code: "method_not_allowed",
    }),
  );
}

const closeAfterMilliseconds = 1_000;

/** An `Expect` other than 100-continue, which Node would refuse with a bare 417: refused in OpenAI's format. */
export function answerUnknownExpectation(request: IncomingMessage, response: ServerResponse): void {
  const error = new GatewayError(
    417,
    `This server cannot meet \`Expect: ${String(request.headers.expect).slice(0, 40)}\`; nothing was done. ` +
      "Send the request without it (or with 100-continue).",
    { type: "invalid_request_error", code: "expectation_failed", param: "Expect" },
  );
  const body = JSON.stringify(openAiErrorBody(error));
  response.writeHead(417, {
    "content-type": "application/json",
    "content-length": Buffer.byteLength(body),
    connection: "close",
  });
  response.end(body);
}

/** Writes a whole error answer on a socket no HTTP response owns, then closes it. */
function writeErrorAndClose(socket: Socket, gatewayError: GatewayError): void {
  const body = JSON.stringify(openAiErrorBody(gatewayError));
  socket.end(
    `HTTP/1.1 ${gatewayError.status} ${STATUS_CODES[gatewayError.status] ?? ""}\r\n` +
      `content-type: application/json\r\ncontent-length: ${Buffer.byteLength(body)}\r\nconnection: close\r\n\r\n${body}`,
  );
  // Closed for good soon after: a client that goes on sending must not keep the socket open.
  setTimeout(() => socket.destroy(), closeAfterMilliseconds).unref();
}
