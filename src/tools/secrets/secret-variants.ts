/**
 * The forms a secret takes when a command encodes it to slip past redaction: as is, reversed, hex, URL-encoded,
 * and base64 (standard and URL-safe) at each of the three byte alignments it can start at inside a longer text.
 */
export function secretVariants(secret: string): string[] {
  const bytes = Buffer.from(secret, "utf8");
  const hex = bytes.toString("hex");
  const percent = hex.replace(/../g, "%$&");
  const variants = [
    secret,
    [...secret].reverse().join(""),
    hex,
    hex.toUpperCase(),
    encodeURIComponent(secret),
    percent,
    percent.toUpperCase(),
  ];
  for (let offset = 0; offset < 3; offset++) {
    const inside = base64Inside(bytes, offset);
    variants.push(inside, inside.replace(/\+/g, "-").replace(/\//g, "_"));
  }
  return [...new Set(variants)];
}

// The base64 characters that depend only on the secret's bits when it starts `offset` bytes into a 3-byte group.
function base64Inside(bytes: Buffer, offset: number): string {
  const encoded = Buffer.concat([Buffer.alloc(offset), bytes]).toString("base64");
  return encoded.slice(Math.ceil((8 * offset) / 6), Math.floor((8 * (offset + bytes.length)) / 6));
}
