import http from "node:http";
import https from "node:https";
import type { LookupFunction } from "node:net";
import type { Readable } from "node:stream";
import zlib from "node:zlib";
import type { CheckedAddress } from "./checked-address.ts";
import { WebAccessRefusedError } from "./web-errors.ts";

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
      const encoding = String(response.headers["content-encoding"] ?? "identity")
        .trim()
        .toLowerCase();
      const decoder = decompressor(encoding);
      if (decoder === null) {
        response.destroy();
        reject(
          new WebAccessRefusedError(
            `${url.href} was sent with Content-Encoding "${encoding.slice(0, 40)}", which fetch_url cannot decode (it reads gzip, deflate and br).`,
          ),
        );
        return;
      }
      // The size cap counts decoded bytes, so a compression bomb stops at the cap like any large page.
      const body: Readable = decoder ? response.pipe(decoder) : response;
      if (decoder) decoder.on("error", reject);
      const chunks: Buffer[] = [];
      let size = 0;
      let cut = false;
      const done = () => {
        resolve({ status: response.statusCode ?? 0, headers: response.headers, body: Buffer.concat(chunks), cut });
      };
      body.on("data", (chunk: Buffer) => {
        if (cut) return;
        const room = options.maximumBytes - size;
        chunks.push(chunk.subarray(0, room));
        size += Math.min(chunk.length, room);
        if (chunk.length > room) {
          cut = true;
          response.destroy();
          decoder?.destroy();
          done();
        }
      });
      body.on("end", done);
      response.on("error", (error) => (cut ? undefined : reject(error)));
    });
    request.end();
  });
}

/** A stream decoding the body's Content-Encoding; undefined when there is none, null when it is unknown. */
function decompressor(encoding: string): zlib.Gunzip | zlib.Inflate | zlib.BrotliDecompress | undefined | null {
  if (encoding === "identity" || encoding === "") return undefined;
  if (encoding === "gzip" || encoding === "x-gzip") return zlib.createGunzip();
  if (encoding === "deflate") return zlib.createInflate();
  if (encoding === "br") return zlib.createBrotliDecompress();
  return null;
}
