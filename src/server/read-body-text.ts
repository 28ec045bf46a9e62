import type { HonoRequest } from "hono";
import { BodyTooLargeError } from "./gateway-errors.ts";

/**
 * The request body as text, refused with 413 past the limit. A declared Content-Length is checked before
 * anything is read (and the body is then read on @hono/node-server's fast path); a chunked body is counted as it
 * streams in and dropped at the limit.
 */
export async function readBodyText(request: HonoRequest, limitBytes: number): Promise<string> {
  const declared = request.header("content-length");
  if (declared !== undefined && request.header("transfer-encoding") === undefined) {
    if (Number(declared) > limitBytes) throw new BodyTooLargeError(limitBytes);
    return request.text();
  }
  const body = request.raw.body;
  if (!body) return "";
  const reader = body.getReader();
  const parts: Uint8Array[] = [];
  let size = 0;
  for (let next = await reader.read(); !next.done; next = await reader.read()) {
    size += next.value.byteLength;
    if (size > limitBytes) {
      await reader.cancel().catch(() => {});
      throw new BodyTooLargeError(limitBytes);
    }
    parts.push(next.value);
  }
  return Buffer.concat(parts).toString("utf8");
}
