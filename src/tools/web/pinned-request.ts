import http from "node:http";
import https from "node:https";
import type { LookupFunction } from "node:net";
import type { CheckedAddress } from "./checked-address.ts";

export interface PinnedResponse {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: Buffer;
  /** True when the body was longer than the cap and the rest was not read. */
  cut: boolean;
}

/**
 * One GET to exactly the checked address: the socket's lookup answers with it, so a DNS answer that changes between
 * the check and the connection (a rebind) cannot send the request elsewhere. Reads at most `maximumBytes`.
 */
export function pinnedGet(
  url: URL,
  pinned: CheckedAddress,
  options: { maximumBytes: number; signal: AbortSignal; headers?: Record<string, string> },
): Promise<PinnedResponse> {
  const lookup: LookupFunction = (_hostname, lookupOptions, callback) => {
    if (lookupOptions.all) callback(null, [{ address: pinned.address, family: pinned.family }]);
    else callback(null, pinned.address, pinned.family);
  };
  const transport = url.protocol === "https:" ? https : http;
  return new Promise((resolve, reject) => {
    const request = transport.request(url, {
      method: "GET",
      lookup,
      signal: options.signal,
      // A new socket per request: a pooled one could be connected to an address checked for another URL.
      agent: false,
      headers: { "user-agent": "Tansuo fetch_url", accept: "text/html,text/*;q=0.9,*/*;q=0.5", ...options.headers },
    });
    request.on("error", reject);
    request.on("response", (response) => {
      const chunks: Buffer[] = [];
      let size = 0;
      let cut = false;
      const done = () => {
        resolve({ status: response.statusCode ?? 0, headers: response.headers, body: Buffer.concat(chunks), cut });
      };
      response.on("data", (chunk: Buffer) => {
        if (cut) return;
        const room = options.maximumBytes - size;
        chunks.push(chunk.subarray(0, room));
        size += Math.min(chunk.length, room);
        if (chunk.length > room) {
          cut = true;
          response.destroy();
          done();
        }
      });
      response.on("end", done);
      response.on("error", (error) => (cut ? undefined : reject(error)));
    });
    request.end();
  });
}
