import type { Workspace } from "../workspace.ts";
import { readDescriptor } from "./read-descriptor.ts";
import { resolveEntry } from "./resolve-entry.ts";

/** What search_files finds at a listed path: text to search, a multiply-linked file it may not read, or nothing. */
export type SearchableFile = { text: string } | { skipped: "hard-links" } | undefined;

/**
 * Opens a listed file the safe way and returns its text, or undefined for what is not searched: files gone or
 * swapped since listing, non-regular files, files over the size limit and binary files (with a NUL byte).
 */
export function readSearchableFile(
  workspace: Workspace,
  relative: string,
  options: { allowHardLinks: boolean; maximumBytes: number; signal: AbortSignal },
): SearchableFile {
  let entry: ReturnType<typeof resolveEntry>;
  try {
    entry = resolveEntry(workspace, relative, { signal: options.signal });
  } catch {
    // Gone, swapped or refused since it was listed: a search passes over it.
    options.signal.throwIfAborted();
    return undefined;
  }
  try {
    const target = entry.target;
    if (!target?.stats.isFile() || target.stats.size > options.maximumBytes) return undefined;
    if (target.stats.nlink > 1 && !options.allowHardLinks) return { skipped: "hard-links" };
    const content = readDescriptor(target.fd, options.maximumBytes, options.signal);
    return content.includes(0) ? undefined : { text: content.toString("utf8") };
  } finally {
    entry.close();
  }
}
