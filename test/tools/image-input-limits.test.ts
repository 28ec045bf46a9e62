import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, truncateSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { checkImageSet, readImageFile, readImageFiles } from "../../src/tools/images/checked-image.ts";
import { ImageInputError } from "../../src/tools/images/image-errors.ts";
import { detectImageType } from "../../src/tools/images/image-format.ts";
import { jpegHeader, tinyGif, tinyPng } from "../support/tiny-images.ts";

const folders: string[] = [];
afterEach(() => {
  for (const folder of folders.splice(0)) rmSync(folder, { recursive: true, force: true });
});
function folder(): string {
  const created = mkdtempSync(path.join(tmpdir(), "tansuo-images-"));
  folders.push(created);
  return created;
}

/** A PNG header padded with zeros (sparse, so nothing is written) to `size` bytes. */
function paddedPng(file: string, size: number): string {
  writeFileSync(file, tinyPng());
  truncateSync(file, size);
  return file;
}

describe("--image files read safely", () => {
  it("refuses a named pipe at once, without waiting for a writer", () => {
    const fifo = path.join(folder(), "pipe.png");
    execFileSync("mkfifo", [fifo]);
    const started = Date.now();
    expect(() => readImageFile(fifo)).toThrow(`The image ${fifo} is a named pipe, not an image file`);
    expect(Date.now() - started).toBeLessThan(2_000);
  });

  it("refuses a link to /dev/zero as a device and a directory as a directory, reading nothing", () => {
    const base = folder();
    const zero = path.join(base, "zero.png");
    symlinkSync("/dev/zero", zero);
    expect(() => readImageFile(zero)).toThrow(`The image ${zero} is a device, not an image file`);
    const directory = path.join(base, "dir.png");
    mkdirSync(directory);
    expect(() => readImageFile(directory)).toThrow(`The image ${directory} is a directory, not an image file`);
  });

  it("refuses a file over the cap by its size before reading it", () => {
    const big = paddedPng(path.join(folder(), "big.png"), 6 * 1024 * 1024 * 1024);
    const started = Date.now();
    expect(() => readImageFile(big)).toThrow(`The image ${big} is 6442450944 bytes, over the 5242880-byte limit`);
    expect(Date.now() - started).toBeLessThan(1_000);
  });

  it("refuses more than 16 images before reading any, and more than 20 MB of them together", () => {
    const base = folder();
    const small = paddedPng(path.join(base, "small.png"), 1_000);
    expect(readImageFiles(Array(16).fill(small))).toHaveLength(16);
    expect(() => readImageFiles(Array(17).fill(path.join(base, "missing.png")))).toThrow(
      "A run may carry at most 16 images; 17 were given.",
    );
    const large = paddedPng(path.join(base, "large.png"), 4_500_000);
    expect(() => readImageFiles(Array(5).fill(large))).toThrow(
      "A run's images come to 22500000 bytes, over the 20971520-byte limit for all of them together",
    );
    expect(() => checkImageSet([1, 2])).not.toThrow();
    expect(() => readImageFiles(Array(5).fill(large))).toThrow(ImageInputError);
  });
});

describe("images checked a little past their magic bytes", () => {
  it("accepts real headers and refuses a bare signature or a header that does not fit", () => {
    expect(detectImageType(tinyPng())).toBe("image/png");
    const badChunk = Buffer.from(tinyPng());
    badChunk.write("IDAT", 12, "latin1");
    expect(detectImageType(badChunk)).toBeUndefined();
    expect(detectImageType(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))).toBeUndefined();

    expect(detectImageType(jpegHeader)).toBe("image/jpeg");
    expect(detectImageType(Buffer.from([0xff, 0xd8, 0xff]))).toBeUndefined();
    expect(detectImageType(Buffer.from([0xff, 0xd8, 0xff, 0x00, 0x10]))).toBeUndefined();

    expect(detectImageType(tinyGif)).toBe("image/gif");
    expect(detectImageType(tinyGif.subarray(0, 10))).toBeUndefined();

    const webp = Buffer.concat([Buffer.from("RIFF\x0c\0\0\0WEBPVP8X", "latin1"), Buffer.alloc(4)]);
    expect(detectImageType(webp)).toBe("image/webp");
    const lyingSize = Buffer.from(webp);
    lyingSize.writeUInt32LE(1_000_000, 4);
    expect(detectImageType(lyingSize)).toBeUndefined();
  });
});

describe("images in one gateway request", () => {
  it("refuses more than 16 image parts with a 400-kind error naming the limit", async () => {
    const { chatMessagesToPrompt } = await import("../../src/server/chat-messages-to-prompt.ts");
    const url = `data:image/png;base64,${tinyPng().toString("base64")}`;
    const content = Array.from({ length: 17 }, () => ({ type: "image_url" as const, image_url: { url } }));
    expect(() => chatMessagesToPrompt([{ role: "user", content }] as never)).toThrow(
      "A request may carry at most 16 images; 17 were given.",
    );
    expect(chatMessagesToPrompt([{ role: "user", content: content.slice(0, 16) }] as never)).toHaveLength(1);
  });
});
