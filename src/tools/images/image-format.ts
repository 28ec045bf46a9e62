/** The image formats vision models accept, recognised by their first bytes, never by a file's name. */
export const supportedImageTypes = ["image/png", "image/jpeg", "image/webp", "image/gif"] as const;
export type SupportedImageType = (typeof supportedImageTypes)[number];

// Providers refuse larger images (OpenAI and Anthropic cap one image at 5 MB or so).
export const maximumImageBytes = 5 * 1024 * 1024;

/** The image type of these bytes by their signature, or undefined when they are not PNG, JPEG, WebP or GIF. */
export function detectImageType(bytes: Uint8Array): SupportedImageType | undefined {
  const starts = (signature: number[], at = 0) => signature.every((byte, index) => bytes[at + index] === byte);
  if (starts([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return "image/png";
  if (starts([0xff, 0xd8, 0xff])) return "image/jpeg";
  if (starts([0x47, 0x49, 0x46, 0x38]) && (bytes[4] === 0x37 || bytes[4] === 0x39) && bytes[5] === 0x61) {
    return "image/gif";
  }
  if (starts([0x52, 0x49, 0x46, 0x46]) && starts([0x57, 0x45, 0x42, 0x50], 8)) return "image/webp";
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
