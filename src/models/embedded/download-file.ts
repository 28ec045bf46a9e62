import { createHash } from "node:crypto";
import { createReadStream } from "node:fs";
import { mkdir, rename, rm, rmdir, stat } from "node:fs/promises";
import path from "node:path";
import { pipeline } from "node:stream/promises";
import { TansuoError } from "../../errors/tansuo-error.ts";
import { ModelChecksumError } from "./embedded-errors.ts";

export interface DownloadProgress {
  downloadedBytes: number;
  /** The size the server announced (all parts of a split model); undefined while unknown. */
  totalBytes: number | undefined;
}

/** What is known of one file of a model before it is downloaded. */
export interface ExpectedFile {
  fileName: string;
  /** Hex sha256 as the publisher lists it; undefined when not known, and then only the size is checked. */
  sha256?: string;
  /** The size the publisher lists; checked as well as the size the server announced. */
  sizeBytes?: number;
}

/** One file of a finished download, at its final place. */
export interface DownloadedFile {
  fileName: string;
  path: string;
  sizeBytes: number;
  /** "sha256" when the file's checksum was known and matched; "size" when only its announced size was checked. */
  checked: "sha256" | "size";
}

export interface DownloadFileOptions {
  /** hf:<user>/<repo>/<file>.gguf (split names such as model-00001-of-00002.gguf fetch every part) or http(s). */
  uri: string;
  /** The final folder; files are downloaded into its `.downloading/` folder and moved here once checked. */
  modelsDirectory: string;
  /** The file name to keep (the first part for a split model). */
  fileName: string;
  /** The URL that opens the first file, probed first so an unreachable server fails in seconds. */
  probeUrl: string;
  /** Replaces https://huggingface.co/ (a mirror, or a local test server). */
  huggingFaceEndpoint?: string;
  expectedFiles?: readonly ExpectedFile[];
  onProgress?: (progress: DownloadProgress) => void;
  /** How long to wait for the server's first answer; short, so a machine without network fails fast. */
  connectTimeoutMilliseconds?: number;
  /** How long a transfer may receive nothing before it is given up (what arrived is kept for a resume). */
  stallTimeoutMilliseconds?: number;
  signal?: AbortSignal;
}

/** Why a download failed, in words for the user; the caller says what to do about it. */
export class DownloadFailure extends TansuoError {
  override readonly name = "DownloadFailure";
  readonly kind = "provider";
  constructor(
    message: string,
    /** True when bytes that arrived were kept in the `.downloading/` folder, so the next try resumes. */
    readonly partialKept = false,
    options?: ErrorOptions,
  ) {
    super(message, options);
  }
}

/** Where unfinished and unchecked downloads live, so nothing under a final name is ever partial or corrupt. */
export const downloadingFolderName = ".downloading";

/**
 * Downloads a model with node-llama-cpp's downloader (ipull: resumes from the bytes already on disk after a broken
 * connection or a new process, fetches every part of a split GGUF), checks each file's size and, when known, its
 * sha256, then moves the files to their final names. A file that fails its check is deleted.
 */
export async function downloadModelFiles(options: DownloadFileOptions): Promise<DownloadedFile[]> {
  const connectTimeout = options.connectTimeoutMilliseconds ?? 10_000;
  const stallTimeout = options.stallTimeoutMilliseconds ?? 60_000;
  const stagingDirectory = path.join(options.modelsDirectory, downloadingFolderName);
  options.signal?.throwIfAborted();
  await mkdir(stagingDirectory, { recursive: true });
  await probe(options.probeUrl, connectTimeout, options.signal);

  const controller = new AbortController();
  const forwardAbort = () => controller.abort(options.signal?.reason);
  options.signal?.addEventListener("abort", forwardAbort, { once: true });
  let stallTimer: NodeJS.Timeout | undefined;
  let receivedAny = false;
  const armStallTimer = () => {
    clearTimeout(stallTimer);
    stallTimer = setTimeout(
      () => controller.abort(new DownloadFailure(`nothing received for ${stallTimeout / 1000} s`, receivedAny)),
      stallTimeout,
    );
  };
  let files: { fileName: string; filePath: string; totalSize: number }[];
  try {
    armStallTimer();
    // Loaded on first download only: node-llama-cpp is heavy and most commands never download.
    const { createModelDownloader } = await import("node-llama-cpp");
    const creating = createModelDownloader({
      modelUri: options.uri,
      dirPath: stagingDirectory,
      fileName: options.fileName,
      showCliProgress: false,
      deleteTempFileOnCancel: false,
      endpoints: options.huggingFaceEndpoint ? { huggingFace: options.huggingFaceEndpoint } : undefined,
      onProgress: ({ totalSize, downloadedSize }) => {
        receivedAny ||= downloadedSize > 0;
        armStallTimer();
        options.onProgress?.({ downloadedBytes: downloadedSize, totalBytes: totalSize > 0 ? totalSize : undefined });
      },
    });
    // Creating one asks the server for the file's size and takes no signal: a stall there ends the wait, and
    // the downloader, should it still arrive, is closed.
    const downloader = await Promise.race([creating, abortedWith(controller.signal)]).catch((error: unknown) => {
      if (controller.signal.aborted) {
        creating.then((late) => late.cancel({ deleteTempFile: false })).catch(() => {});
        throw controller.signal.reason;
      }
      throw asFailure(error, false);
    });
    await downloader.download({ signal: controller.signal }).catch((error: unknown) => {
      throw controller.signal.aborted ? controller.signal.reason : asFailure(error, true);
    });
    // A cancelled transfer can end without an error: the abort's reason says why it stopped.
    if (controller.signal.aborted) throw controller.signal.reason;
    files = downloader.filesInfo;
  } finally {
    clearTimeout(stallTimer);
    options.signal?.removeEventListener("abort", forwardAbort);
  }
  const checked: DownloadedFile[] = [];
  for (const file of files) {
    checked.push(await checkedFile(file, options));
  }
  for (const file of checked) {
    await rename(path.join(stagingDirectory, file.fileName), file.path);
  }
  // Left only when something else is still there (another model's unfinished download).
  await rmdir(stagingDirectory).catch(() => {});
  return checked;
}

async function checkedFile(
  file: { fileName: string; filePath: string; totalSize: number },
  options: DownloadFileOptions,
): Promise<DownloadedFile> {
  const finalPath = path.join(options.modelsDirectory, file.fileName);
  const sizeBytes = (await stat(file.filePath)).size;
  if (file.totalSize > 0 && sizeBytes !== file.totalSize) {
    await rm(file.filePath, { force: true });
    throw new DownloadFailure(`${file.fileName} ended after ${sizeBytes} of ${file.totalSize} bytes`);
  }
  const listed = options.expectedFiles?.find((candidate) => candidate.fileName === file.fileName);
  if (listed?.sizeBytes !== undefined && sizeBytes !== listed.sizeBytes) {
    await rm(file.filePath, { force: true });
    throw new DownloadFailure(
      `${file.fileName} has ${sizeBytes} bytes, not the ${listed.sizeBytes} its publisher lists`,
    );
  }
  const expected = listed?.sha256;
  if (!expected) return { fileName: file.fileName, path: finalPath, sizeBytes, checked: "size" };
  const actual = await sha256Of(file.filePath);
  if (actual !== expected.toLowerCase()) {
    await rm(file.filePath, { force: true });
    throw new ModelChecksumError(options.uri, expected, actual, finalPath);
  }
  return { fileName: file.fileName, path: finalPath, sizeBytes, checked: "sha256" };
}

async function sha256Of(filePath: string): Promise<string> {
  const hash = createHash("sha256");
  await pipeline(createReadStream(filePath), hash);
  return hash.digest("hex");
}

/** One HEAD request: the downloader retries unreachable hosts for minutes, so reachability is settled first. */
async function probe(url: string, timeoutMilliseconds: number, signal: AbortSignal | undefined): Promise<void> {
  const timeout = AbortSignal.timeout(timeoutMilliseconds);
  const response = await fetch(url, {
    method: "HEAD",
    redirect: "follow",
    signal: signal ? AbortSignal.any([signal, timeout]) : timeout,
  }).catch((error: unknown) => {
    if (signal?.aborted) throw signal.reason;
    if (timeout.aborted) throw new DownloadFailure(`no answer within ${timeoutMilliseconds / 1000} s`);
    throw new DownloadFailure(describeFetchError(error));
  });
  if (!response.ok) {
    throw new DownloadFailure(`the server answered HTTP ${response.status} ${response.statusText}`.trim());
  }
}

function abortedWith(signal: AbortSignal): Promise<never> {
  return new Promise((_, reject) => {
    if (signal.aborted) reject(signal.reason);
    else signal.addEventListener("abort", () => reject(signal.reason), { once: true });
  });
}

function asFailure(error: unknown, partialKept: boolean): unknown {
  if (error instanceof TansuoError) return error;
  return new DownloadFailure(describeFetchError(error), partialKept, { cause: error });
}

function describeFetchError(error: unknown): string {
  const cause = (error as { cause?: { code?: string; message?: string } }).cause;
  switch (cause?.code) {
    case "ECONNREFUSED":
      return "the connection was refused";
    case "ENOTFOUND":
    case "EAI_AGAIN":
      return "the host name could not be resolved (no network?)";
    case "ENETUNREACH":
    case "EHOSTUNREACH":
      return "the network is unreachable";
    case "ETIMEDOUT":
    case "UND_ERR_CONNECT_TIMEOUT":
      return "the connection timed out";
    default:
      return cause?.message ?? (error instanceof Error ? error.message : String(error));
  }
}
