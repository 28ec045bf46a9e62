import { createHash } from "node:crypto";
import { mkdir, open, rename, rm } from "node:fs/promises";
import path from "node:path";
import { TansuoError } from "../../errors/tansuo-error.ts";
import { ModelChecksumError } from "./embedded-errors.ts";

export interface DownloadProgress {
  downloadedBytes: number;
  /** From Content-Length, or the known size; undefined when neither is known. */
  totalBytes: number | undefined;
}

export interface DownloadFileOptions {
  url: string;
  destination: string;
  expectedSha256?: string;
  expectedSizeBytes?: number;
  onProgress?: (progress: DownloadProgress) => void;
  /** How long to wait for the server's first answer; short, so a machine without network fails fast. */
  connectTimeoutMilliseconds?: number;
  /** How long a transfer may receive nothing before it is given up. */
  stallTimeoutMilliseconds?: number;
  signal?: AbortSignal;
}

/** Why a download failed, in words for the user; the caller says what to do about it. */
export class DownloadFailure extends TansuoError {
  override readonly name = "DownloadFailure";
  readonly kind = "provider";
}

/**
 * Downloads `url` to `destination` through `destination.part`, renamed into place only when complete and,
 * when a checksum is known, verified. On any failure the partial file is deleted.
 */
export async function downloadFile(options: DownloadFileOptions): Promise<void> {
  const connectTimeout = options.connectTimeoutMilliseconds ?? 10_000;
  const stallTimeout = options.stallTimeoutMilliseconds ?? 60_000;
  const partPath = `${options.destination}.part`;
  const controller = new AbortController();
  const forwardAbort = () => controller.abort(options.signal?.reason);
  options.signal?.addEventListener("abort", forwardAbort, { once: true });
  let timer: NodeJS.Timeout | undefined;
  const giveUpAfter = (milliseconds: number, reason: string) => {
    clearTimeout(timer);
    timer = setTimeout(() => controller.abort(new DownloadFailure(reason)), milliseconds);
  };
  try {
    options.signal?.throwIfAborted();
    await mkdir(path.dirname(options.destination), { recursive: true });
    giveUpAfter(connectTimeout, `no answer within ${connectTimeout / 1000} s`);
    const response = await fetch(options.url, { signal: controller.signal, redirect: "follow" }).catch((error) => {
      throw controller.signal.aborted ? controller.signal.reason : new DownloadFailure(describeFetchError(error));
    });
    if (!response.ok || !response.body) {
      throw new DownloadFailure(`the server answered HTTP ${response.status} ${response.statusText}`.trim());
    }
    const announced = Number(response.headers.get("content-length"));
    const totalBytes = Number.isFinite(announced) && announced > 0 ? announced : options.expectedSizeBytes;
    const hash = createHash("sha256");
    let downloadedBytes = 0;
    const file = await open(partPath, "w");
    try {
      const reader = response.body.getReader();
      while (true) {
        giveUpAfter(stallTimeout, `nothing received for ${stallTimeout / 1000} s`);
        const { value, done } = await reader.read().catch((error) => {
          throw controller.signal.aborted ? controller.signal.reason : new DownloadFailure(describeFetchError(error));
        });
        if (done) break;
        hash.update(value);
        await file.write(value);
        downloadedBytes += value.byteLength;
        options.onProgress?.({ downloadedBytes, totalBytes });
      }
    } finally {
      clearTimeout(timer);
      await file.close();
    }
    if (totalBytes !== undefined && downloadedBytes !== totalBytes) {
      throw new DownloadFailure(`the transfer ended after ${downloadedBytes} of ${totalBytes} bytes`);
    }
    const actualSha256 = hash.digest("hex");
    if (options.expectedSha256 && actualSha256 !== options.expectedSha256.toLowerCase()) {
      throw new ModelChecksumError(options.url, options.expectedSha256, actualSha256);
    }
    await rename(partPath, options.destination);
  } catch (error) {
    await rm(partPath, { force: true });
    throw error;
  } finally {
    clearTimeout(timer);
    options.signal?.removeEventListener("abort", forwardAbort);
  }
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
