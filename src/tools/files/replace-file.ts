import { randomBytes } from "node:crypto";
import { accessSync, closeSync, constants, fchmodSync, openSync, renameSync, unlinkSync, writeSync } from "node:fs";
import { ToolInputError } from "../tool-errors.ts";
import type { Workspace } from "../workspace.ts";
import { descriptorPath, entryPath, type OpenFolder, realPathOfDescriptor } from "./descriptor-paths.ts";
import { changedWhileOpening, notRegularFile } from "./file-refusals.ts";
import { fileSystemFailure } from "./file-system-failure.ts";
import type { ResolvedEntry } from "./resolve-entry.ts";

const { O_WRONLY, O_CREAT, O_EXCL, O_NOFOLLOW, W_OK } = constants;

/**
 * Gives an entry new content by writing a new file next to it and renaming it into place: atomic, an existing
 * file keeps its mode, another hard link to the old file keeps the old content, and a symlink put at the name
 * meanwhile is replaced, never followed. Returns how many names the replaced file had.
 */
export function replaceEntryContent(
  workspace: Workspace,
  entry: ResolvedEntry,
  relativePath: string,
  content: string | Uint8Array,
): { previousLinks: number } {
  const target = entry.target;
  if (entry.name === "" || target?.stats.isDirectory()) {
    throw new ToolInputError(`"${relativePath}" is a folder; give the path of a file inside it.`);
  }
  if (target && !target.stats.isFile()) throw notRegularFile(relativePath, target.stats);
  // No write bit at all is the user's way to protect a file, even from root.
  if (target && ((target.stats.mode & 0o222) === 0 || !isWritable(target.fd, target.path))) {
    throw new ToolInputError(
      `"${relativePath}" is read-only; it was left unchanged. Ask the user to make it writable if it should change.`,
    );
  }
  try {
    writeAndRename(workspace, entry.parent, entry.name, relativePath, content, target && target.stats.mode & 0o7777);
  } catch (error) {
    throw fileSystemFailure(error, relativePath, "write");
  }
  return { previousLinks: target?.stats.nlink ?? 0 };
}

function writeAndRename(
  workspace: Workspace,
  parent: OpenFolder,
  name: string,
  relativePath: string,
  content: string | Uint8Array,
  mode: number | undefined,
): void {
  const temporary = entryPath(parent, `.tansuo-${randomBytes(6).toString("hex")}.tmp`);
  const fd = openSync(temporary, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW, 0o666);
  try {
    try {
      writeAll(fd, typeof content === "string" ? Buffer.from(content, "utf8") : Buffer.from(content));
      if (mode !== undefined) fchmodSync(fd, mode);
    } finally {
      closeSync(fd);
    }
    // A folder moved out of the workspace after it was opened must not receive the file.
    const parentNow = realPathOfDescriptor(parent.fd, parent.path);
    if (parentNow === undefined || !workspace.contains(parentNow)) throw changedWhileOpening(relativePath);
    renameSync(temporary, entryPath(parent, name));
  } catch (error) {
    unlinkQuietly(temporary);
    throw error;
  }
}

function writeAll(fd: number, buffer: Buffer): void {
  let written = 0;
  while (written < buffer.length) written += writeSync(fd, buffer, written, buffer.length - written);
}

function isWritable(fd: number, recordedPath: string): boolean {
  try {
    accessSync(descriptorPath(fd, recordedPath), W_OK);
    return true;
  } catch {
    return false;
  }
}

function unlinkQuietly(file: string): void {
  try {
    unlinkSync(file);
  } catch {
    // Never created or already renamed: nothing to clean up.
  }
}
