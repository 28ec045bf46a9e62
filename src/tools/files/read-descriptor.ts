import { readSync } from "node:fs";

const chunkBytes = 1024 * 1024;

/**
 * Reads an open file through its descriptor, never by path again, up to `maximumBytes` (a file that grows while
 * it is read is cut there). Checks the run's abort signal between chunks.
 */
export function readDescriptor(fd: number, maximumBytes: number, signal?: AbortSignal): Buffer {
  const chunks: Buffer[] = [];
  let total = 0;
  while (total < maximumBytes) {
    signal?.throwIfAborted();
    const chunk = Buffer.allocUnsafe(Math.min(chunkBytes, maximumBytes - total));
    const read = readSync(fd, chunk, 0, chunk.length, total);
    if (read === 0) break;
    chunks.push(chunk.subarray(0, read));
    total += read;
  }
  return Buffer.concat(chunks, total);
}
