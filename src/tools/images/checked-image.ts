import { closeSync, constants, fstatSync, openSync, readSync } from "node:fs";
import type { ToolImage } from "../tool-output.ts";
import { ImageInputError } from "./image-errors.ts";
import { detectImageType, maximumImageBytes, maximumImageBytesPerRun, maximumImagesPerRun } from "./image-format.ts";

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

/**
 * Reads an image file the user named (`--image`), checked like any image. The file is opened without waiting (a FIFO
 * cannot block), must be a regular file, and at most the cap plus one byte is read, so /dev/zero cannot eat memory.
 */
export function readImageFile(file: string): ToolImage {
  let descriptor: number;
  try {
    descriptor = openSync(file, constants.O_RDONLY | constants.O_NONBLOCK);
  } catch (error) {
    throw new ImageInputError(`Cannot read the image ${file}: ${(error as Error).message}.`);
  }
  try {
    const stats = fstatSync(descriptor);
    if (!stats.isFile()) {
      const kind = stats.isDirectory()
        ? "a directory"
        : stats.isFIFO()
          ? "a named pipe"
          : stats.isCharacterDevice() || stats.isBlockDevice()
            ? "a device"
            : "not a regular file";
      throw new ImageInputError(
        `The image ${file} is ${kind}, not an image file; give the path of a PNG, JPEG, WebP or GIF file.`,
      );
    }
    if (stats.size > maximumImageBytes) {
      throw new ImageInputError(
        `The image ${file} is ${stats.size} bytes, over the ${maximumImageBytes}-byte limit for one image; scale it down or crop it.`,
      );
    }
    return checkedImage(readAtMost(descriptor, maximumImageBytes + 1), `The image ${file}`);
  } catch (error) {
    if (error instanceof ImageInputError) throw error;
    throw new ImageInputError(`Cannot read the image ${file}: ${(error as Error).message}.`);
  } finally {
    closeSync(descriptor);
  }
}

function readAtMost(descriptor: number, limit: number): Buffer {
  const buffer = Buffer.alloc(limit);
  let filled = 0;
  for (;;) {
    const read = readSync(descriptor, buffer, filled, limit - filled, null);
    if (read === 0) break;
    filled += read;
    if (filled === limit) break;
  }
  return buffer.subarray(0, filled);
}

/** Refuses more images, or more bytes of them, than one run may carry; `sizes` are the images' byte counts so far. */
export function checkImageSet(sizes: readonly number[], what = "A run"): void {
  if (sizes.length > maximumImagesPerRun) {
    throw new ImageInputError(
      `${what} may carry at most ${maximumImagesPerRun} images; ${sizes.length} were given. Send fewer (or a contact sheet).`,
    );
  }
  const total = sizes.reduce((sum, size) => sum + size, 0);
  if (total > maximumImageBytesPerRun) {
    throw new ImageInputError(
      `${what}'s images come to ${total} bytes, over the ${maximumImageBytesPerRun}-byte limit for all of them together; send fewer or smaller images.`,
    );
  }
}

/** Reads the `--image` files in order, refusing too many before reading any and too many bytes as soon as they add up. */
export function readImageFiles(files: readonly string[]): ToolImage[] {
  checkImageSet(files.map(() => 0));
  const images: ToolImage[] = [];
  const sizes: number[] = [];
  for (const file of files) {
    const image = readImageFile(file);
    images.push(image);
    sizes.push(imageByteCount(image));
    checkImageSet(sizes);
  }
  return images;
}

/** The decoded size of an image from its base64 text, without decoding it. */
export function imageByteCount(image: ToolImage): number {
  const padding = image.base64.endsWith("==") ? 2 : image.base64.endsWith("=") ? 1 : 0;
  return Math.floor((image.base64.length * 3) / 4) - padding;
}

/** Refuses images for a model that cannot see them, before any call goes out. */
export function requireVision(modelId: string, vision: boolean, imageCount: number): void {
  if (imageCount === 0 || vision) return;
  throw new ImageInputError(
    `${modelId} has no vision in the catalog, so it cannot be given images. Choose a vision model (gpt-4o, claude-sonnet-4-5, gemini-2.5-flash, ...), or mark yours with capabilities: { vision: true } in config models: [...].`,
  );
}
