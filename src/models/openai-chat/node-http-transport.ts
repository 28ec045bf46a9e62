import { Agent as HttpAgent, request as httpRequest, type IncomingHttpHeaders } from "node:http";
import { Agent as HttpsAgent, request as httpsRequest } from "node:https";
import { IncomingReader } from "./incoming-reader.ts";
import type { UpstreamTransport } from "./upstream-answer.ts";

// Idle pooled connections close after 4 s (sooner when the server's Keep-Alive header asks), as undici's do,
// so a request seldom lands on a socket the server is closing.
const idleSocketMilliseconds = 4_000;
const agents = {
  "http:": new HttpAgent({ keepAlive: true, timeout: idleSocketMilliseconds }),
  "https:": new HttpsAgent({ keepAlive: true, timeout: idleSocketMilliseconds }),
};

const nullBodyStatuses = new Set([101, 103, 204, 205, 304]);

const headerRecord = (headers: IncomingHttpHeaders): Record<string, string> => {
  const record: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value !== undefined) record[name] = Array.isArray(value) ? value.join(", ") : value;
  }
  return record;
};

const timeoutError = () => new DOMException("The operation was aborted due to timeout", "TimeoutError");

export interface NodeHttpTransportOptions {
  /** The whole exchange, body included, is aborted with a TimeoutError after this long. */
  timeoutMilliseconds: number;
}

/**
 * Provider calls over node:http and node:https with keep-alive connections: undici's fetch spends about twice the
 * CPU on its Request/Headers/stream machinery, and a web ReadableStream per body costs more again in Node 20.
 * An abort or the timeout closes the connection, before or while the answer streams in, so the upstream sees the
 * caller leave. Redirects are not followed: a 3xx is the provider's answer.
 */
export function createNodeHttpTransport(options: NodeHttpTransportOptions): UpstreamTransport {
  return (url, request) =>
    new Promise((resolve, reject) => {
      const target = new URL(url);
      if (target.protocol !== "http:" && target.protocol !== "https:") {
        return reject(new TypeError(`node:http cannot reach ${target.protocol} URLs`));
      }
      const { signal } = request;
      if (signal?.aborted) return reject(signal.reason);
      let reader: IncomingReader | undefined;
      const onAbort = () => stop(signal?.reason);
      const timer = setTimeout(() => stop(timeoutError()), options.timeoutMilliseconds);
      // A pending timer must not keep the process alive; the request's socket does while it is open.
      timer.unref();
      signal?.addEventListener("abort", onAbort, { once: true });
      const finish = () => {
        clearTimeout(timer);
        signal?.removeEventListener("abort", onAbort);
      };
      const stop = (reason: unknown) => {
        finish();
        outgoing.destroy();
        if (reader) reader.fail(reason);
        else reject(reason);
      };
      const headers = { ...request.headers, "content-length": String(Buffer.byteLength(request.body)) };
      const send = target.protocol === "https:" ? httpsRequest : httpRequest;
      const agent = agents[target.protocol];
      const outgoing = send(target, { method: "POST", headers, agent }, (incoming) => {
        const status = incoming.statusCode ?? 0;
        if (nullBodyStatuses.has(status)) {
          incoming.resume();
          finish();
        } else {
          reader = new IncomingReader(incoming, finish);
        }
        resolve({
          status,
          statusText: incoming.statusMessage ?? "",
          headers: headerRecord(incoming.headers),
          body: reader ?? null,
        });
      });
      outgoing.on("error", (error) => {
        finish();
        reject(error);
      });
      outgoing.end(request.body);
    });
}
