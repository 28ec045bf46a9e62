import { describe, expect, it } from "vitest";
import { checkedImage } from "../../src/tools/images/checked-image.ts";
import { ImageInputError } from "../../src/tools/images/image-errors.ts";
import { describeImage, detectImageType, imageDimensions } from "../../src/tools/images/image-format.ts";
import { imagePlaceholder } from "../../src/tools/tool-output.ts";
import { jpegHeader, tinyGif, tinyPng } from "../support/tiny-images.ts";

describe("images recognised by content", () => {
  it("tells PNG, JPEG, GIF and WebP by their first bytes and reads their size from the header", () => {
    expect(detectImageType(tinyPng(4, 3))).toBe("image/png");
    expect(imageDimensions(tinyPng(4, 3), "image/png")).toEqual({ width: 4, height: 3 });
    expect(detectImageType(jpegHeader)).toBe("image/jpeg");
    expect(imageDimensions(jpegHeader, "image/jpeg")).toEqual({ width: 3, height: 2 });
    expect(detectImageType(tinyGif)).toBe("image/gif");
    expect(describeImage(tinyGif, "image/gif")).toBe("GIF image, 1×1, 43 bytes");
    // RIFF....WEBPVP8X with a 5×7 canvas (stored as size - 1, 24 bits little-endian).
    const webp = Buffer.concat([
      Buffer.from("RIFF\x16\0\0\0WEBPVP8X\x0a\0\0\0", "latin1"),
      Buffer.from([0, 0, 0, 0]), // flags and reserved bits
      Buffer.from([4, 0, 0, 6, 0, 0]), // width - 1 and height - 1, 24 bits little-endian each
    ]);
    expect(detectImageType(webp)).toBe("image/webp");
    expect(imageDimensions(webp, "image/webp")).toEqual({ width: 5, height: 7 });
  });

  it("refuses text named like an image, and an image over the size cap, naming the file", () => {
    expect(() => checkedImage(Buffer.from("just some text, not a picture\n"), "The image pic.png")).toThrow(
      /The image pic\.png is not an image Tansuo can send: its content is not PNG, JPEG, WebP or GIF/,
    );
    const huge = Buffer.alloc(5 * 1024 * 1024 + 1);
    tinyPng().copy(huge);
    expect(() => checkedImage(huge, "The image big.png")).toThrow(ImageInputError);
    expect(() => checkedImage(huge, "The image big.png")).toThrow(/big\.png is 5242881 bytes, over the 5242880-byte/);
  });

  it("names an image in transcripts by type and size, never by its bytes", () => {
    const image = checkedImage(tinyPng(), "The image");
    expect(image.mediaType).toBe("image/png");
    expect(imagePlaceholder(image)).toBe(`[image image/png ${tinyPng().length} B]`);
    expect(imagePlaceholder({ mediaType: "image/jpeg", base64: Buffer.alloc(12 * 1024).toString("base64") })).toBe(
      "[image image/jpeg 12 KB]",
    );
  });
});
