import type { ServerResponse } from "node:http";
import { errorBody } from "./error-body.ts";
import type { RecordedRequest } from "./types.ts";

/** One answer in progress: the response, and the record that tracks what was sent. */
export interface Exchange {
  response: ServerResponse;
  record: RecordedRequest;
  /** Closes the socket without an answer, as a network failure would; not counted as a client disconnect. */
  dropConnection(): void;
}

export const sleep = (milliseconds: number): Promise<void> =>
  new Promise((resolve) => setTimeout(resolve, milliseconds));

/** False once the client went away or the server dropped the connection: nothing more may be written. */
export const isOpen = ({ response }: Exchange): boolean => !response.destroyed && !response.writableEnded;

export function writeHead(exchange: Exchange, status: number, headers: Record<string, string>): void {
  exchange.record.status = status;
  exchange.response.writeHead(status, headers);
}

export function sendJson(exchange: Exchange, status: number, body: unknown, headers: Record<string, string> = {}) {
  if (!isOpen(exchange)) return;
  writeHead(exchange, status, { "content-type": "application/json", ...headers });
  exchange.response.end(JSON.stringify(body));
}

export function sendError(
  exchange: Exchange,
  status: number,
  error: { message?: string; type?: string; code?: string; retryAfterSeconds?: number } = {},
): void {
  const { retryAfterSeconds, ...overrides } = error;
  const headers: Record<string, string> =
    retryAfterSeconds === undefined ? {} : { "retry-after": String(retryAfterSeconds) };
  sendJson(exchange, status, errorBody(status, overrides), headers);
}
