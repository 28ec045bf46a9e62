/**
 * Every form of a key the campaign searches for, written here apart from src/ so the search does not share a
 * mistake with the redaction it checks: as is, reversed, hex in both cases, URL-encoded, and base64 standard and
 * URL-safe at each byte alignment (only the characters that depend on the key's bits alone).
 */
export function encodingsOf(key: string): Record<string, string> {
  const bytes = Buffer.from(key, "utf8");
  const percent = [...bytes].map((byte) => `%${byte.toString(16).padStart(2, "0")}`).join("");
  const encodings: Record<string, string> = {
    plain: key,
    reversed: key.split("").reverse().join(""),
    "hex lower": bytes.toString("hex"),
    "hex upper": bytes.toString("hex").toUpperCase(),
    "URL-encoded": encodeURIComponent(key),
    "percent-encoded lower": percent,
    "percent-encoded upper": percent.toUpperCase(),
  };
  for (const alignment of [0, 1, 2]) {
    const shifted = Buffer.concat([Buffer.from("\u0000".repeat(alignment)), bytes]);
    const first = [0, 2, 3][alignment]!;
    const end = Math.floor(((alignment + bytes.length) * 8) / 6);
    encodings[`base64 at byte ${alignment}`] = shifted.toString("base64").slice(first, end);
    encodings[`base64url at byte ${alignment}`] = shifted.toString("base64url").slice(first, end);
  }
  return encodings;
}

export const pieceLength = 12;

/** Every run of 12 characters of an encoded key: what a dump that cuts lines between offsets leaves whole. */
export function piecesOf(form: string, length = pieceLength): string[] {
  const pieces: string[] = [];
  for (let start = 0; start + length <= form.length; start++) pieces.push(form.slice(start, start + length));
  return pieces;
}
