import { connect } from "node:net";

/** What the server sent back on one connection, parsed just enough to check it. */
export interface RawAnswer {
  status: number;
  headers: Record<string, string>;
  body: Buffer;
}

function dechunk(body: Buffer): Buffer {
  const parts: Buffer[] = [];
  let at = 0;
  while (at < body.length) {
    const lineEnd = body.indexOf("\r\n", at);
    if (lineEnd < 0) break;
    const size = Number.parseInt(body.subarray(at, lineEnd).toString("latin1"), 16);
    if (!Number.isFinite(size) || size === 0) break;
    parts.push(body.subarray(lineEnd + 2, lineEnd + 2 + size));
    at = lineEnd + 2 + size + 2;
  }
  return Buffer.concat(parts);
}

function parseAnswer(bytes: Buffer): RawAnswer | undefined {
  // Interim answers (100 Continue) come before the real one.
  while (/^HTTP\/1\.[01] 1\d\d /.test(bytes.subarray(0, 13).toString("latin1"))) {
    const interimEnd = bytes.indexOf("\r\n\r\n");
    if (interimEnd < 0) return undefined;
    bytes = bytes.subarray(interimEnd + 4);
  }
  const headEnd = bytes.indexOf("\r\n\r\n");
  if (headEnd < 0) return undefined;
  const [statusLine = "", ...lines] = bytes.subarray(0, headEnd).toString("latin1").split("\r\n");
  const status = Number(/^HTTP\/1\.[01] (\d{3})/.exec(statusLine)?.[1]);
  if (!Number.isInteger(status)) return undefined;
  const headers: Record<string, string> = {};
  for (const line of lines) {
    const colon = line.indexOf(":");
    if (colon > 0) headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
  }
  const rest = bytes.subarray(headEnd + 4);
  const body = headers["transfer-encoding"]?.toLowerCase() === "chunked" ? dechunk(rest) : rest;
  return { status, headers, body };
}

export interface RawExchange {
  /** Undefined when nothing parsable came back. */
  answer: RawAnswer | undefined;
  /** True when the server still held the connection open at the time limit. */
  timedOut: boolean;
}

/**
 * Sends bytes exactly as given on a fresh connection (no client library to tidy them up) and reads until the
 * server closes it or the time limit passes.
 */
export function rawExchange(port: number, request: Buffer, timeoutMilliseconds: number): Promise<RawExchange> {
  return new Promise((resolve) => {
    const socket = connect(port, "127.0.0.1");
    const parts: Buffer[] = [];
    let settled = false;
    const settle = (timedOut: boolean) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      socket.destroy();
      resolve({ answer: parseAnswer(Buffer.concat(parts)), timedOut });
    };
    const timer = setTimeout(() => settle(true), timeoutMilliseconds);
    socket.on("connect", () => socket.write(request));
    socket.on("data", (part: Buffer) => parts.push(part));
    socket.on("error", () => settle(false));
    socket.on("close", () => settle(false));
  });
}
