import { readFileSync } from "node:fs";
import type { ToolImage } from "../tool-output.ts";
import { ImageInputError } from "./image-errors.ts";
import { detectImageType, maximumImageBytes } from "./image-format.ts";

/** Bytes checked to be a PNG, JPEG, WebP or GIF image under the size cap, typed by content; `label` names them in errors. */
export function checkedImage(bytes: Uint8Array, label: string): ToolImage {
  const type = detectImageType(bytes);
  if (!type) {
    throw new ImageInputError(
      `${label} is not an image Tansuo can send: its content is not PNG, JPEG, WebP or GIF (the file name does not count). Convert it to PNG or JPEG.`,
    );
  }
  if (bytes.length > maximumImageBytes) {
    throw new ImageInputError(
      `${label} is ${bytes.length} bytes, over the ${maximumImageBytes}-byte limit for one image; scale it down or crop it.`,
    );
  }
  return { mediaType: type, base64: Buffer.from(bytes).toString("base64") };
}

/** Reads an image file the user named (`--image`), checked like any image. */
export function readImageFile(file: string): ToolImage {
  let bytes: Buffer;
  try {
    bytes = readFileSync(file);
  } catch (error) {
    throw new ImageInputError(`Cannot read the image ${file}: ${(error as Error).message}.`);
  }
  return checkedImage(bytes, `The image ${file}`);
}

/** Refuses images for a model that cannot see them, before any call goes out. */
export function requireVision(modelId: string, vision: boolean, imageCount: number): void {
  if (imageCount === 0 || vision) return;
  throw new ImageInputError(
    `${modelId} has no vision in the catalog, so it cannot be given images. Choose a vision model (gpt-4o, claude-sonnet-4-5, gemini-2.5-flash, ...), or mark yours with capabilities: { vision: true } in config models: [...].`,
  );
}
