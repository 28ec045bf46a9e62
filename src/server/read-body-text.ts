import type { HonoRequest } from "hono";
import { BodyTooLargeError, InvalidRequestError } from "./gateway-errors.ts";

const utf8 = new TextDecoder("utf-8", { fatal: true });

/** Decodes strictly: a body with invalid UTF-8 is refused, never read with replacement characters. */
function decodeUtf8(bytes: Uint8Array): string {
  try {
    return utf8.decode(bytes);
  } catch {
    throw new InvalidRequestError(
      "The request body is not valid UTF-8; nothing was done. Send JSON encoded as UTF-8.",
      { code: "invalid_encoding" },
    );
  }
}

/**
 * The request body as text, refused with 413 past the limit and with 400 when it is not UTF-8. A declared Content-Length is checked before
 * anything is read (and the body is then read on @hono/node-server's fast path); a chunked body is counted as it
 * streams in and dropped at the limit.
 */
export async function readBodyText(request: HonoRequest, limitBytes: number): Promise<string> {
  const declared = request.header("content-length");
  if (declared !== undefined && request.header("transfer-encoding") === undefined) {
    if (Number(declared) > limitBytes) throw new BodyTooLargeError(limitBytes);
    return decodeUtf8(new Uint8Array(await request.arrayBuffer()));
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
  return decodeUtf8(Buffer.concat(parts));
}
