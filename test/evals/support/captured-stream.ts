import { PassThrough } from "node:stream";

/** A writable stream that keeps what is written, for asserting on a command's output. */
export function capturedStream(): PassThrough & { text: () => string } {
  const stream = new PassThrough();
  const chunks: string[] = [];
  stream.on("data", (chunk) => chunks.push(String(chunk)));
  return Object.assign(stream, { text: () => chunks.join("") });
}
