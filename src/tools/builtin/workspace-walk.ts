import { closeSync, constants, type Dirent, lstatSync, openSync, type Stats } from "node:fs";
import { readdir } from "node:fs/promises";
import path from "node:path";
import ignore, { type Ignore } from "ignore";
import { entryPath, folderPath, type OpenFolder, realPathOfDescriptor } from "../files/descriptor-paths.ts";
import { openFileForReading } from "../files/open-file-for-reading.ts";
import { readDescriptor } from "../files/read-descriptor.ts";
import { resolveEntry } from "../files/resolve-entry.ts";
import type { Workspace } from "../workspace.ts";

const { O_RDONLY, O_NOFOLLOW, O_DIRECTORY, O_NONBLOCK } = constants;
const maximumIgnoreFileBytes = 1024 * 1024;

export interface WalkOptions {
  maximumDepth?: number;
  allowHardLinks: boolean;
  signal?: AbortSignal;
}

/**
 * Lists files under an open folder (folders end with /), skipping .git, node_modules, what the workspace's
 * .gitignore excludes, paths hidden by Tansuo, pipes, sockets and devices, and symlinks that lead outside the
 * workspace (symlinked folders are listed, not entered). Each sub-folder is opened through its parent's descriptor.
 */
export async function* walkWorkspace(
  workspace: Workspace,
  start: OpenFolder,
  options: WalkOptions,
): AsyncGenerator<string> {
  const rules = ignore().add([".git", "node_modules"]);
  const ignoreFile = readIgnoreFile(workspace, options.allowHardLinks);
  if (ignoreFile !== undefined) rules.add(ignoreFile);
  yield* walk(workspace, start, rules, 0, options.maximumDepth ?? 64, options.signal);
}

async function* walk(
  workspace: Workspace,
  folder: OpenFolder,
  rules: Ignore,
  depth: number,
  maximumDepth: number,
  signal: AbortSignal | undefined,
): AsyncGenerator<string> {
  if (depth > maximumDepth) return;
  signal?.throwIfAborted();
  const entries = await readdir(folderPath(folder), { withFileTypes: true }).catch(() => [] as Dirent[]);
  entries.sort((left, right) => left.name.localeCompare(right.name));
  for (const entry of entries) {
    const absolute = path.join(folder.path, entry.name);
    const relative = path.relative(workspace.root, absolute);
    if (workspace.isHidden(absolute)) continue;
    const kind = entryKind(entry, () => lstatSync(entryPath(folder, entry.name)));
    if (kind === "folder") {
      if (rules.ignores(`${relative}/`)) continue;
      yield `${relative}/`;
      const child = openChildFolder(workspace, folder, entry.name);
      if (!child) continue;
      try {
        yield* walk(workspace, child, rules, depth + 1, maximumDepth, signal);
      } finally {
        closeSync(child.fd);
      }
    } else if (kind === "file" || (kind === "link" && linkStaysInside(workspace, relative))) {
      if (!rules.ignores(relative)) yield relative;
    }
  }
}

type EntryKind = "folder" | "file" | "link" | "other";

function entryKind(entry: Dirent, lstat: () => Stats): EntryKind {
  if (entry.isDirectory()) return "folder";
  if (entry.isFile()) return "file";
  if (entry.isSymbolicLink()) return "link";
  if (entry.isFIFO() || entry.isSocket() || entry.isCharacterDevice() || entry.isBlockDevice()) return "other";
  // Some file systems do not report the type in the listing.
  try {
    const stats = lstat();
    if (stats.isDirectory()) return "folder";
    if (stats.isFile()) return "file";
    return stats.isSymbolicLink() ? "link" : "other";
  } catch {
    return "other";
  }
}

function openChildFolder(workspace: Workspace, folder: OpenFolder, name: string): OpenFolder | undefined {
  let fd: number;
  try {
    fd = openSync(entryPath(folder, name), O_RDONLY | O_NOFOLLOW | O_DIRECTORY | O_NONBLOCK);
  } catch {
    return undefined; // Swapped for a link or removed since it was listed.
  }
  const real = realPathOfDescriptor(fd, path.join(folder.path, name));
  if (real === undefined || !workspace.contains(real) || workspace.isHidden(real)) {
    closeSync(fd);
    return undefined;
  }
  return { fd, path: real };
}

/** A symlink is listed when it leads, inside the workspace, to a regular file or a folder. */
function linkStaysInside(workspace: Workspace, relative: string): boolean {
  try {
    const entry = resolveEntry(workspace, relative);
    try {
      const stats = entry.target?.stats;
      return stats !== undefined && (stats.isFile() || stats.isDirectory());
    } finally {
      entry.close();
    }
  } catch {
    return false;
  }
}

function readIgnoreFile(workspace: Workspace, allowHardLinks: boolean): string | undefined {
  try {
    const entry = openFileForReading(workspace, ".gitignore", { allowHardLinks });
    try {
      return readDescriptor(entry.target.fd, maximumIgnoreFileBytes).toString("utf8");
    } finally {
      entry.close();
    }
  } catch {
    return undefined;
  }
}
