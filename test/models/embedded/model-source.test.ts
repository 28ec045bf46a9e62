import { createHash } from "node:crypto";
import { existsSync } from "node:fs";
import { mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import os from "node:os";
import path from "node:path";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import {
  defaultEmbeddedModel,
  InvalidModelSpecError,
  ModelChecksumError,
  ModelDownloadError,
  ModelFileNotFoundError,
  resolveModelSource,
} from "../../../src/models/embedded/index.ts";
import { tinyModelPath } from "../../support/tiny-model.ts";

const uri = "hf:aladar/llama-2-tiny-random-GGUF/llama-2-tiny-random.gguf";
let modelBytes: Buffer;
let modelSha256: string;
let server: Server;
let baseUrl: string;
let requestedPaths: string[];
let modelsDirectory: string;

beforeAll(async () => {
  modelBytes = await readFile(tinyModelPath);
  modelSha256 = createHash("sha256").update(modelBytes).digest("hex");
  // Serves the model the way Hugging Face does: /<user>/<repo>/resolve/main/<file>, in several chunks.
  server = createServer((request, response) => {
    const pathname = new URL(request.url ?? "/", "http://127.0.0.1").pathname;
    requestedPaths.push(pathname);
    if (!pathname.endsWith("/resolve/main/llama-2-tiny-random.gguf")) {
      response.writeHead(404).end("not found");
      return;
    }
    response.writeHead(200, { "content-length": String(modelBytes.length) });
    const chunk = 256 * 1024;
    for (let offset = 0; offset < modelBytes.length; offset += chunk)
      response.write(modelBytes.subarray(offset, offset + chunk));
    response.end();
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
});

beforeEach(async () => {
  requestedPaths = [];
  modelsDirectory = await mkdtemp(path.join(os.tmpdir(), "tansuo-models-"));
});

afterEach(async () => {
  await rm(modelsDirectory, { recursive: true, force: true });
});

async function closedPortUrl(): Promise<string> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, "127.0.0.1", resolve));
  const port = (probe.address() as AddressInfo).port;
  await new Promise((resolve) => probe.close(resolve));
  return `http://127.0.0.1:${port}`;
}

describe("resolveModelSource", () => {
  it("downloads an hf: file into the models directory, reporting progress and checking the sha256", async () => {
    const progress: Array<{ downloadedBytes: number; totalBytes: number | undefined }> = [];
    const modelPath = await resolveModelSource(uri, {
      modelsDirectory,
      downloadBaseUrl: baseUrl,
      expectedSha256: modelSha256,
      onProgress: (update) => progress.push(update),
    });

    expect(modelPath).toBe(path.join(modelsDirectory, "llama-2-tiny-random.gguf"));
    expect((await readFile(modelPath)).equals(modelBytes)).toBe(true);
    expect(existsSync(path.join(modelsDirectory, ".downloading"))).toBe(false);
    expect(new Set(requestedPaths)).toEqual(
      new Set(["/aladar/llama-2-tiny-random-GGUF/resolve/main/llama-2-tiny-random.gguf"]),
    );
    expect(progress.length).toBeGreaterThan(1);
    expect(progress.at(-1)).toEqual({ downloadedBytes: modelBytes.length, totalBytes: modelBytes.length });
  });

  it("uses a file already in the models directory without downloading", async () => {
    const existing = path.join(modelsDirectory, "llama-2-tiny-random.gguf");
    await writeFile(existing, "placed by the user");
    expect(await resolveModelSource(uri, { modelsDirectory, downloadBaseUrl: baseUrl })).toBe(existing);
    expect(requestedPaths).toEqual([]);
  });

  it("deletes a download whose sha256 does not match and says so", async () => {
    const wrong = "0".repeat(64);
    const error = await resolveModelSource(uri, {
      modelsDirectory,
      downloadBaseUrl: baseUrl,
      expectedSha256: wrong,
    }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ModelChecksumError);
    expect((error as ModelChecksumError).actualSha256).toBe(modelSha256);
    expect((error as Error).message).toContain(wrong);
    expect((error as Error).message).toContain("nothing was kept under its name");
    expect(existsSync(path.join(modelsDirectory, "llama-2-tiny-random.gguf"))).toBe(false);
    expect(await readdir(path.join(modelsDirectory, ".downloading"))).toEqual([]);
  });

  it("fails fast with one message naming the three ways to supply a model when the server is unreachable", async () => {
    const error = await resolveModelSource(defaultEmbeddedModel.uri, {
      modelsDirectory,
      downloadBaseUrl: await closedPortUrl(),
      connectTimeoutMilliseconds: 2000,
    }).catch((caught: unknown) => caught);

    expect(error).toBeInstanceOf(ModelDownloadError);
    const message = (error as Error).message;
    expect(message).toContain(defaultEmbeddedModel.fileName);
    expect(message).toContain("connection was refused");
    expect(message).toContain("--model path/to/model.gguf");
    expect(message).toContain("DEEPSEEK_API_KEY");
    expect(message).toContain("OPENAI_API_KEY");
    expect(message).toContain(modelsDirectory);
    expect(message).toContain("No partial file was kept");
    expect(existsSync(path.join(modelsDirectory, defaultEmbeddedModel.fileName))).toBe(false);
  });

  it("gives up on a server that accepts the connection but never answers", async () => {
    const silent = createServer(() => {});
    await new Promise<void>((resolve) => silent.listen(0, "127.0.0.1", resolve));
    try {
      const error = await resolveModelSource(uri, {
        modelsDirectory,
        downloadBaseUrl: `http://127.0.0.1:${(silent.address() as AddressInfo).port}`,
        connectTimeoutMilliseconds: 200,
      }).catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(ModelDownloadError);
      expect((error as Error).message).toContain("no answer within 0.2 s");
    } finally {
      silent.closeAllConnections();
      await new Promise((resolve) => silent.close(resolve));
    }
  });

  it("reports an HTTP error from the server as a download failure", async () => {
    const error = await resolveModelSource("hf:someone/missing/model.gguf", {
      modelsDirectory,
      downloadBaseUrl: baseUrl,
    }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ModelDownloadError);
    expect((error as Error).message).toContain("HTTP 404");
  });

  it("returns an existing local path and names a missing one", async () => {
    expect(await resolveModelSource(tinyModelPath, { modelsDirectory })).toBe(tinyModelPath);
    const relative = path.relative(process.cwd(), tinyModelPath);
    expect(await resolveModelSource(relative, { modelsDirectory })).toBe(tinyModelPath);
    await expect(resolveModelSource("nowhere/model.gguf", { modelsDirectory })).rejects.toBeInstanceOf(
      ModelFileNotFoundError,
    );
  });

  it("rejects hf: URIs that do not name a .gguf file", async () => {
    for (const spec of ["hf:user/repo", "hf:user/repo/readme.md", "hf:user//model.gguf", "hf:user/repo/../x.gguf"]) {
      await expect(resolveModelSource(spec, { modelsDirectory })).rejects.toBeInstanceOf(InvalidModelSpecError);
    }
  });

  it("describes the default model with its source, size and checksum", () => {
    expect(defaultEmbeddedModel.uri.startsWith("hf:")).toBe(true);
    expect(defaultEmbeddedModel.uri.endsWith(`/${defaultEmbeddedModel.fileName}`)).toBe(true);
    expect(defaultEmbeddedModel.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(defaultEmbeddedModel.sizeBytes).toBeGreaterThan(1_000_000_000);
  });
});
