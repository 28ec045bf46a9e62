import { readFile } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";

/**
 * The built viewer (Vite's output) in the package: two folders up from this module is the package root both from
 * src/server (run with tsx) and from dist/server (compiled).
 */
export const packagedViewerDirectory = (): string => fileURLToPath(new URL("../../dist/ui/", import.meta.url));

const contentTypes: Record<string, string> = {
  ".js": "text/javascript; charset=utf-8",
  ".mjs": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".json": "application/json",
  ".map": "application/json",
  ".svg": "image/svg+xml",
  ".png": "image/png",
  ".ico": "image/x-icon",
  ".woff2": "font/woff2",
  ".woff": "font/woff",
  ".ttf": "font/ttf",
  ".txt": "text/plain; charset=utf-8",
};

export const contentTypeOf = (file: string): string =>
  contentTypes[path.extname(file).toLowerCase()] ?? "application/octet-stream";

/** A file's bytes, or undefined when it is not there (or is not a file). */
export async function readViewerFile(file: string): Promise<Uint8Array | undefined> {
  try {
    return await readFile(file);
  } catch {
    return undefined;
  }
}

/** `relative` inside `root`, or undefined for a path that would leave it (`..`, an absolute path, a NUL). */
export function fileInside(root: string, relative: string): string | undefined {
  if (relative.includes("\0") || relative === "") return undefined;
  const resolved = path.resolve(root, relative);
  return resolved.startsWith(path.resolve(root) + path.sep) ? resolved : undefined;
}
