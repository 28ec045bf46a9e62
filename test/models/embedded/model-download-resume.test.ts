import { createHash } from "node:crypto";
import { existsSync } from "node:fs";
import { mkdtemp, readdir, readFile, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import {
  type DownloadedFile,
  ModelChecksumError,
  ModelDownloadError,
  resolveModelSource,
} from "../../../src/models/embedded/index.ts";
import { patternedBytes, startModelFileServer } from "../../support/model-file-server.ts";

// The downloader resumes in 5 MB chunks: a 12 MB file is three chunks, so a resume shows in the ranges asked for.
const megabyte = 1024 * 1024;
const chunk = 5 * megabyte;
const servedPath = "/someone/big-GGUF/resolve/main/big.gguf";
const uri = "hf:someone/big-GGUF/big.gguf";
const sha256 = (bytes: Buffer) => createHash("sha256").update(bytes).digest("hex");

let modelsDirectory: string;
const servers: Array<{ close(): Promise<void> }> = [];

beforeEach(async () => {
  modelsDirectory = await mkdtemp(path.join(os.tmpdir(), "tansuo-models-"));
});

afterEach(async () => {
  for (const server of servers.splice(0)) await server.close();
  await rm(modelsDirectory, { recursive: true, force: true });
});

async function serve(files: Map<string, Buffer>, options?: Parameters<typeof startModelFileServer>[1]) {
  const server = await startModelFileServer(files, options);
  servers.push(server);
  return server;
}

describe("model downloads through node-llama-cpp's downloader", () => {
  it("resumes a transfer whose connection broke midway and ends byte-identical", async () => {
    const bytes = patternedBytes(12 * megabyte);
    const server = await serve(new Map([[servedPath, bytes]]), { dropAtByte: 7 * megabyte });

    const modelPath = await resolveModelSource(uri, {
      modelsDirectory,
      downloadBaseUrl: server.url,
      expectedSha256: sha256(bytes),
    });

    expect((await readFile(modelPath)).equals(bytes)).toBe(true);
    const ranges = server.requests.filter((request) => request.rangeStart !== undefined).map((r) => r.rangeStart);
    // The broken chunk (5-10 MB) is asked for again from its start; the chunks that had arrived are not.
    expect(ranges.filter((start) => start === chunk)).toHaveLength(2);
    expect(ranges.filter((start) => start === 0)).toHaveLength(1);
    expect(ranges.filter((start) => start === 2 * chunk)).toHaveLength(1);
  });

  it("keeps what arrived when a transfer stalls, and a later try fetches only the rest", async () => {
    const bytes = patternedBytes(12 * megabyte);
    const stalling = await serve(new Map([[servedPath, bytes]]), { stallAtByte: 6 * megabyte });
    const error = await resolveModelSource(uri, {
      modelsDirectory,
      downloadBaseUrl: stalling.url,
      stallTimeoutMilliseconds: 1500,
    }).catch((caught: unknown) => caught);

    expect(error).toBeInstanceOf(ModelDownloadError);
    expect((error as Error).message).toContain("nothing received for 1.5 s");
    expect((error as Error).message).toContain(`kept in ${modelsDirectory}/.downloading/; run again to resume`);
    expect(existsSync(path.join(modelsDirectory, "big.gguf"))).toBe(false);
    expect((await readdir(path.join(modelsDirectory, ".downloading"))).length).toBeGreaterThan(0);

    const healthy = await serve(new Map([[servedPath, bytes]]));
    const downloaded: DownloadedFile[] = [];
    const modelPath = await resolveModelSource(uri, {
      modelsDirectory,
      downloadBaseUrl: healthy.url,
      onDownloaded: (files) => downloaded.push(...files),
    });
    expect((await readFile(modelPath)).equals(bytes)).toBe(true);
    const ranges = healthy.requests.filter((request) => request.rangeStart !== undefined).map((r) => r.rangeStart);
    expect(ranges).not.toContain(0);
    expect(ranges).toContain(chunk);
    expect(downloaded).toEqual([{ fileName: "big.gguf", path: modelPath, sizeBytes: bytes.length, checked: "size" }]);
  });

  it("gives up on a server that answers the probe but never sends the file, saying nothing was kept", async () => {
    const server = await serve(new Map([[servedPath, patternedBytes(1000)]]), { stallUnrangedGet: true });
    const error = await resolveModelSource(uri, {
      modelsDirectory,
      downloadBaseUrl: server.url,
      stallTimeoutMilliseconds: 1000,
    }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ModelDownloadError);
    expect((error as Error).message).toContain("nothing received for 1 s. No partial file was kept.");
    expect(existsSync(path.join(modelsDirectory, "big.gguf"))).toBe(false);
  });

  it("downloads both parts of a split GGUF, checking each part's sha256", async () => {
    const first = patternedBytes(300_000, 7);
    const second = patternedBytes(200_000, 8);
    const server = await serve(
      new Map([
        ["/someone/split-GGUF/resolve/main/split-00001-of-00002.gguf", first],
        ["/someone/split-GGUF/resolve/main/split-00002-of-00002.gguf", second],
      ]),
    );
    const downloaded: DownloadedFile[] = [];
    const modelPath = await resolveModelSource("hf:someone/split-GGUF/split-00001-of-00002.gguf", {
      modelsDirectory,
      downloadBaseUrl: server.url,
      expectedFiles: [
        { fileName: "split-00001-of-00002.gguf", sha256: sha256(first) },
        { fileName: "split-00002-of-00002.gguf", sha256: sha256(second) },
      ],
      onDownloaded: (files) => downloaded.push(...files),
    });

    expect(modelPath).toBe(path.join(modelsDirectory, "split-00001-of-00002.gguf"));
    expect((await readFile(modelPath)).equals(first)).toBe(true);
    expect((await readFile(path.join(modelsDirectory, "split-00002-of-00002.gguf"))).equals(second)).toBe(true);
    expect(downloaded.map((file) => [file.fileName, file.checked])).toEqual([
      ["split-00001-of-00002.gguf", "sha256"],
      ["split-00002-of-00002.gguf", "sha256"],
    ]);
  });

  it("refuses a split GGUF whose second part has the wrong sha256 and keeps no part under its final name", async () => {
    const first = patternedBytes(300_000, 7);
    const second = patternedBytes(200_000, 8);
    const server = await serve(
      new Map([
        ["/someone/split-GGUF/resolve/main/split-00001-of-00002.gguf", first],
        ["/someone/split-GGUF/resolve/main/split-00002-of-00002.gguf", second],
      ]),
    );
    const error = await resolveModelSource("hf:someone/split-GGUF/split-00001-of-00002.gguf", {
      modelsDirectory,
      downloadBaseUrl: server.url,
      expectedFiles: [
        { fileName: "split-00001-of-00002.gguf", sha256: sha256(first) },
        { fileName: "split-00002-of-00002.gguf", sha256: "1".repeat(64) },
      ],
    }).catch((caught: unknown) => caught);

    expect(error).toBeInstanceOf(ModelChecksumError);
    expect((error as ModelChecksumError).actualSha256).toBe(sha256(second));
    expect((error as Error).message).toContain(path.join(modelsDirectory, "split-00002-of-00002.gguf"));
    expect((await readdir(modelsDirectory)).filter((name) => name.endsWith(".gguf"))).toEqual([]);
  });
});
