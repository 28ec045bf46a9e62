import { Agent as HttpAgent, request as httpRequest, type IncomingMessage } from "node:http";
import { Agent as HttpsAgent, request as httpsRequest } from "node:https";
import { Readable } from "node:stream";

const agents = {
  "http:": new HttpAgent({ keepAlive: true, maxSockets: 256 }),
  "https:": new HttpsAgent({ keepAlive: true, maxSockets: 256 }),
};

const headerRecord = (headers: RequestInit["headers"]): Record<string, string> => {
  if (!headers) return {};
  if (headers instanceof Headers) return Object.fromEntries(headers.entries());
  if (Array.isArray(headers)) return Object.fromEntries(headers);
  return { ...(headers as Record<string, string>) };
};

const responseHeaders = (incoming: IncomingMessage): Headers => {
  const headers = new Headers();
  for (let index = 0; index < incoming.rawHeaders.length; index += 2) {
    headers.append(incoming.rawHeaders[index]!, incoming.rawHeaders[index + 1]!);
  }
  return headers;
};

/**
 * `fetch` on node:http with keep-alive agents, for the benchmark's "node:http transport" variant: undici's fetch
 * spends about twice the CPU of a plain node:http request on Request/Headers/stream machinery. It supports what
 * provider clients use: string or byte bodies, headers, an abort signal, and a streamed response body.
 */
export const nodeHttpFetch: typeof fetch = (input, init = {}) =>
  new Promise<Response>((resolve, reject) => {
    const url = new URL(typeof input === "string" || input instanceof URL ? input : input.url);
    const protocol = url.protocol === "https:" ? "https:" : "http:";
    const body = init.body;
    if (body !== undefined && body !== null && typeof body !== "string" && !(body instanceof Uint8Array)) {
      reject(new TypeError("nodeHttpFetch sends string or byte bodies only"));
      return;
    }
    const signal = init.signal ?? undefined;
    if (signal?.aborted) {
      reject(signal.reason);
      return;
    }
    const headers = headerRecord(init.headers);
    if (body !== undefined && body !== null) headers["content-length"] = String(Buffer.byteLength(body));
    const send = protocol === "https:" ? httpsRequest : httpRequest;
    const outgoing = send(url, { method: init.method ?? "GET", headers, agent: agents[protocol] }, (incoming) => {
      const status = incoming.statusCode ?? 0;
      const stream = status === 204 || status === 304 ? null : (Readable.toWeb(incoming) as ReadableStream<Uint8Array>);
      resolve(new Response(stream, { status, statusText: incoming.statusMessage, headers: responseHeaders(incoming) }));
    });
    const onAbort = () => outgoing.destroy(signal?.reason instanceof Error ? signal.reason : new Error("aborted"));
    signal?.addEventListener("abort", onAbort, { once: true });
    outgoing.on("close", () => signal?.removeEventListener("abort", onAbort));
    outgoing.on("error", (error) => reject(signal?.aborted ? signal.reason : error));
    outgoing.end(body ?? undefined);
  });
