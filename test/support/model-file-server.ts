import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

export interface ServedRequest {
  method: string;
  path: string;
  /** First byte asked for by a Range header; undefined for a request without one. */
  rangeStart: number | undefined;
}

export interface ModelFileServerOptions {
  /** Breaks the connection of the first ranged transfer that reaches this byte of a file, once. */
  dropAtByte?: number;
  /** Stops sending (keeping the connection open) once a ranged transfer reaches this byte; for every transfer. */
  stallAtByte?: number;
  /** Answers HEAD but never answers a GET without a range (the downloader's first look at the file). */
  stallUnrangedGet?: boolean;
}

/**
 * Serves files the way Hugging Face does (/<user>/<repo>/resolve/main/<file>, HEAD, byte ranges) on 127.0.0.1,
 * and can break or stall a transfer partway to exercise the downloader's resume.
 */
export async function startModelFileServer(files: Map<string, Buffer>, options: ModelFileServerOptions = {}) {
  const requests: ServedRequest[] = [];
  let dropArmed = options.dropAtByte !== undefined;
  const held: ServerResponse[] = [];
  const server = createServer((request: IncomingMessage, response: ServerResponse) => {
    const pathname = new URL(request.url ?? "/", "http://127.0.0.1").pathname;
    const range = /^bytes=(\d+)-(\d*)$/.exec(request.headers.range ?? "");
    requests.push({
      method: request.method ?? "GET",
      path: pathname,
      rangeStart: range ? Number(range[1]) : undefined,
    });
    const bytes = files.get(pathname);
    if (!bytes) {
      response.writeHead(404).end("not found");
      return;
    }
    if (options.stallUnrangedGet && request.method === "GET" && !range) {
      held.push(response);
      return;
    }
    const start = range ? Number(range[1]) : 0;
    const end = range?.[2] ? Math.min(Number(range[2]) + 1, bytes.length) : bytes.length;
    const headers = { "accept-ranges": "bytes", "content-length": String(end - start) };
    if (range) response.writeHead(206, { ...headers, "content-range": `bytes ${start}-${end - 1}/${bytes.length}` });
    else response.writeHead(200, headers);
    if (request.method === "HEAD") {
      response.end();
      return;
    }
    let cut = end;
    if (
      range &&
      dropArmed &&
      options.dropAtByte !== undefined &&
      start <= options.dropAtByte &&
      options.dropAtByte < end
    ) {
      dropArmed = false;
      cut = options.dropAtByte;
    } else if (
      range &&
      options.stallAtByte !== undefined &&
      start <= options.stallAtByte &&
      options.stallAtByte < end
    ) {
      response.write(bytes.subarray(start, options.stallAtByte));
      held.push(response);
      return;
    }
    const chunk = 64 * 1024;
    for (let offset = start; offset < cut; offset += chunk)
      response.write(bytes.subarray(offset, Math.min(offset + chunk, cut)));
    if (cut < end) setTimeout(() => request.socket.destroy(), 20);
    else response.end();
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    requests,
    async close() {
      for (const response of held) response.socket?.destroy();
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

/** Deterministic bytes, larger than the downloader's 5 MB chunk so a resume is visible in the ranges asked for. */
export function patternedBytes(size: number, seed = 1): Buffer {
  const bytes = Buffer.alloc(size);
  let state = seed;
  for (let index = 0; index < size; index += 1) {
    state = (state * 1_103_515_245 + 12_345) >>> 0;
    bytes[index] = state >>> 24;
  }
  return bytes;
}
