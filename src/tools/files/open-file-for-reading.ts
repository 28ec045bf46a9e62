import { ToolInputError } from "../tool-errors.ts";
import type { Workspace } from "../workspace.ts";
import { notRegularFile, severalHardLinks } from "./file-refusals.ts";
import { type OpenedTarget, type ResolvedEntry, resolveEntry } from "./resolve-entry.ts";

/** A resolved entry known to be a regular file that may be read. */
export type ReadableEntry = ResolvedEntry & { target: OpenedTarget };

/**
 * Opens a workspace file for reading: a regular file, and with one hard link unless the user allowed more
 * (another name of a multiply-linked file may be outside the workspace).
 */
export function openFileForReading(
  workspace: Workspace,
  relativePath: string,
  options: { allowHardLinks: boolean; signal?: AbortSignal },
): ReadableEntry {
  const entry = resolveEntry(workspace, relativePath, { signal: options.signal });
  try {
    requireReadableFile(entry, relativePath, options.allowHardLinks);
    return entry;
  } catch (error) {
    entry.close();
    throw error;
  }
}

/** Refuses what file tools must not read: nothing there, a folder, a pipe or device, or several hard links. */
export function requireReadableFile(
  entry: ResolvedEntry,
  relativePath: string,
  allowHardLinks: boolean,
): asserts entry is ReadableEntry {
  const target = entry.target;
  if (!target) throw new ToolInputError(`No file at "${relativePath}". Use list_files to see what exists.`);
  if (target.stats.isDirectory()) throw new ToolInputError(`"${relativePath}" is a folder; use list_files to read it.`);
  if (!target.stats.isFile()) throw notRegularFile(relativePath, target.stats);
  if (target.stats.nlink > 1 && !allowHardLinks) throw severalHardLinks(relativePath, target.stats.nlink);
}
