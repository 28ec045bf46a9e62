/** The image formats vision models accept, recognised by their first bytes, never by a file's name. */
export const supportedImageTypes = ["image/png", "image/jpeg", "image/webp", "image/gif"] as const;
export type SupportedImageType = (typeof supportedImageTypes)[number];

// Providers refuse larger images (OpenAI and Anthropic cap one image at 5 MB or so).
export const maximumImageBytes = 5 * 1024 * 1024;
// One run (or one gateway request) carries at most this many images and bytes of them: each is sent every turn.
export const maximumImagesPerRun = 16;
export const maximumImageBytesPerRun = 20 * 1024 * 1024;

/**
 * The image type of these bytes by their signature and the header right after it, or undefined when they are not
 * PNG, JPEG, WebP or GIF: a PNG's first chunk must be a 13-byte IHDR, a JPEG's start marker must be followed by
 * another marker, a GIF must hold its whole logical screen descriptor, and a WebP's RIFF size must match the bytes.
 */
export function detectImageType(bytes: Uint8Array): SupportedImageType | undefined {
  const starts = (signature: number[], at = 0) => signature.every((byte, index) => bytes[at + index] === byte);
  const ascii = (text: string, at: number) =>
    starts(
      [...text].map((character) => character.charCodeAt(0)),
      at,
    );
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (starts([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) {
    return bytes.length >= 33 && view.getUint32(8) === 13 && ascii("IHDR", 12) ? "image/png" : undefined;
  }
  if (starts([0xff, 0xd8, 0xff]))
    return bytes.length >= 4 && bytes[3] !== 0xff && bytes[3] !== 0 ? "image/jpeg" : undefined;
  if (ascii("GIF8", 0) && (bytes[4] === 0x37 || bytes[4] === 0x39) && bytes[5] === 0x61) {
    // Signature (6 bytes) and logical screen descriptor (7 bytes) come before anything else.
    return bytes.length >= 13 ? "image/gif" : undefined;
  }
  if (ascii("RIFF", 0) && ascii("WEBP", 8)) {
    // The RIFF size counts everything after its own 8 bytes; one pad byte may follow an odd-sized chunk.
    const riffEnd = 8 + view.getUint32(4, true);
    return bytes.length >= 16 && (riffEnd === bytes.length || riffEnd + 1 === bytes.length) ? "image/webp" : undefined;
  }
  return undefined;
}

/** Width and height read from the header when that is cheap (PNG, GIF, WebP, JPEG's first frame), else undefined. */
export function imageDimensions(
  bytes: Uint8Array,
  type: SupportedImageType,
): { width: number; height: number } | undefined {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  try {
    switch (type) {
      case "image/png":
        return { width: view.getUint32(16), height: view.getUint32(20) };
      case "image/gif":
        return { width: view.getUint16(6, true), height: view.getUint16(8, true) };
      case "image/webp":
        return webpDimensions(bytes, view);
      case "image/jpeg":
        return jpegDimensions(bytes, view);
    }
  } catch {
    return undefined;
  }
}

function webpDimensions(bytes: Uint8Array, view: DataView): { width: number; height: number } | undefined {
  const chunk = String.fromCharCode(...bytes.subarray(12, 16));
  if (chunk === "VP8X") {
    const width = 1 + (bytes[24]! | (bytes[25]! << 8) | (bytes[26]! << 16));
    const height = 1 + (bytes[27]! | (bytes[28]! << 8) | (bytes[29]! << 16));
    return { width, height };
  }
  if (chunk === "VP8 ") return { width: view.getUint16(26, true) & 0x3fff, height: view.getUint16(28, true) & 0x3fff };
  if (chunk === "VP8L") {
    const bits = view.getUint32(21, true);
    return { width: (bits & 0x3fff) + 1, height: ((bits >> 14) & 0x3fff) + 1 };
  }
  return undefined;
}

function jpegDimensions(bytes: Uint8Array, view: DataView): { width: number; height: number } | undefined {
  let offset = 2;
  while (offset + 9 < bytes.length) {
    if (bytes[offset] !== 0xff) return undefined;
    const marker = bytes[offset + 1]!;
    // Start-of-frame markers (baseline, progressive, ...) carry the size; 0xC4, 0xC8 and 0xCC are not frames.
    if (marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc) {
      return { height: view.getUint16(offset + 5), width: view.getUint16(offset + 7) };
    }
    offset += 2 + view.getUint16(offset + 2);
  }
  return undefined;
}

/** A short description for a model without vision or a transcript: `PNG image, 1×1, 67 bytes`. */
export function describeImage(bytes: Uint8Array, type: SupportedImageType): string {
  const dimensions = imageDimensions(bytes, type);
  const name = type.slice("image/".length).toUpperCase();
  return `${name} image${dimensions ? `, ${dimensions.width}×${dimensions.height}` : ""}, ${bytes.length} bytes`;
}
