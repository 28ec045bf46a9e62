import { closeSync, constants, fstatSync, lstatSync, mkdirSync, openSync, readlinkSync, type Stats } from "node:fs";
import path from "node:path";
import { InternalError } from "../../errors/internal-error.ts";
import { ToolInputError } from "../tool-errors.ts";
import type { Workspace } from "../workspace.ts";
import { entryPath, type OpenFolder, realPathOfDescriptor } from "./descriptor-paths.ts";
import { errorCode } from "./error-code.ts";
import { expandLinkTarget } from "./expand-link-target.ts";
import {
  changedWhileOpening,
  hiddenByTansuo,
  linkOutOrNowhere,
  notRegularFile,
  tooManyLinks,
} from "./file-refusals.ts";
import { fileSystemFailure } from "./file-system-failure.ts";
import { isHardLinkToHidden } from "./hidden-inodes.ts";
import { splitWorkspacePath } from "./workspace-path.ts";

const { O_RDONLY, O_NOFOLLOW, O_NONBLOCK, O_DIRECTORY } = constants;
const maximumLinks = 40;
// A component that changes between looking at it and opening it is looked at again, this many times in all.
const maximumRetries = 16;
// Folders write_file may create on the way; more than this is a path no one means (or a folder deleted as made).
const maximumCreatedFolders = 256;

/** An entry opened without following links: a folder, a regular file or a FIFO (never a device or socket). */
export interface OpenedTarget {
  fd: number;
  stats: Stats;
  /** Its real path, read back from the kernel after opening. */
  path: string;
}

/** Where a workspace path leads: the verified folder holding it, its name there, and the entry if it exists. */
export interface ResolvedEntry {
  parent: OpenFolder;
  /** The name inside `parent`; "" for the workspace root itself. */
  name: string;
  /** The real path the entry has (or will have once created). */
  path: string;
  target: OpenedTarget | undefined;
  /** Closes every descriptor opened on the way; call it once the entry has been used. */
  close(): void;
}

export interface ResolveOptions {
  /** Create missing folders on the way, each checked like an existing one (write_file). */
  createMissingFolders?: boolean;
  signal?: AbortSignal;
}

interface PendingComponent {
  name: string;
  /** Came from a symlink's target: a missing one means the link dangles. */
  fromLink: boolean;
}

/**
 * Walks a model-given path one component at a time, each opened relative to its verified parent's descriptor
 * with O_NOFOLLOW. A symlink is read and its target walked again inside the workspace, so links that stay inside
 * keep working; links out, dangling links, loops, hidden paths and devices are refused. Nothing is opened by its
 * full path, so swapping a component for a link while the walk runs cannot lead outside.
 */
export function resolveEntry(workspace: Workspace, relativePath: string, options: ResolveOptions = {}): ResolvedEntry {
  const opened: number[] = [];
  const close = () => {
    for (const fd of opened.splice(0)) closeQuietly(fd);
  };
  const open = (file: string, flags: number) => {
    const fd = openSync(file, flags);
    opened.push(fd);
    return fd;
  };
  try {
    const root = openRoot(workspace, open);
    if (workspace.isHidden(root.path)) throw hiddenByTansuo(relativePath);
    const pending: PendingComponent[] = splitWorkspacePath(relativePath).map((name) => ({ name, fromLink: false }));
    if (pending.length === 0) {
      return { parent: root, name: "", path: root.path, target: { ...root, stats: fstatSync(root.fd) }, close };
    }
    let stack: OpenFolder[] = [root];
    let links = 0;
    let retries = 0;
    let created = 0;
    const retry = (component: PendingComponent) => {
      if (++retries > maximumRetries) throw changedWhileOpening(relativePath);
      pending.unshift(component);
    };
    while (pending.length > 0) {
      options.signal?.throwIfAborted();
      const component = pending.shift()!;
      const current = stack.at(-1)!;
      if (component.name === "..") {
        if (stack.length === 1) throw linkOutOrNowhere(relativePath);
        stack.pop();
        continue;
      }
      const candidate = path.join(current.path, component.name);
      if (workspace.isHidden(candidate)) throw hiddenByTansuo(relativePath);
      const isLast = pending.length === 0;
      const location = entryPath(current, component.name);
      const info = lstatOrUndefined(location);
      if (!info) {
        if (component.fromLink) throw linkOutOrNowhere(relativePath);
        if (isLast) return { parent: current, name: component.name, path: candidate, target: undefined, close };
        if (!options.createMissingFolders) {
          throw new ToolInputError(
            `No file or folder at "${relativePath}": "${workspace.relative(candidate)}" does not exist. ` +
              "Use list_files to see what exists.",
          );
        }
        if (++created > maximumCreatedFolders) throw changedWhileOpening(relativePath);
        makeFolder(location);
        pending.unshift(component);
        continue;
      }
      if (info.isSymbolicLink()) {
        if (++links > maximumLinks) throw tooManyLinks(relativePath);
        const target = readLinkOrUndefined(location);
        if (target === undefined) {
          retry(component);
          continue;
        }
        const expanded = expandLinkTarget(workspace, target);
        if (!expanded) throw linkOutOrNowhere(relativePath);
        if (expanded.fromRoot) stack = [root];
        pending.unshift(...expanded.components.map((name) => ({ name, fromLink: true })));
        continue;
      }
      if (!isLast && !info.isDirectory()) {
        throw new ToolInputError(`"${workspace.relative(candidate)}" is a file, not a folder, in "${relativePath}".`);
      }
      // Devices and sockets are never opened: opening some devices has effects of its own.
      if (!info.isDirectory() && !info.isFile() && !info.isFIFO()) throw notRegularFile(relativePath, info);
      const fd = openOrUndefined(open, location, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | (isLast ? 0 : O_DIRECTORY));
      if (fd === undefined) {
        retry(component);
        continue;
      }
      const stats = fstatSync(fd);
      if (!stats.isDirectory() && !stats.isFile() && !stats.isFIFO()) throw notRegularFile(relativePath, stats);
      const real = realPathOfDescriptor(fd, candidate);
      if (real === undefined) {
        retry(component);
        continue;
      }
      if (!workspace.contains(real)) throw changedWhileOpening(relativePath);
      if (workspace.isHidden(real) || isHardLinkToHidden(workspace, stats)) throw hiddenByTansuo(relativePath);
      if (isLast)
        return { parent: current, name: component.name, path: real, target: { fd, stats, path: real }, close };
      stack.push({ fd, path: real });
    }
    throw new InternalError(`resolveEntry ended without an entry for "${relativePath}"`);
  } catch (error) {
    close();
    throw fileSystemFailure(error, relativePath, "open");
  }
}

function openRoot(workspace: Workspace, open: (file: string, flags: number) => number): OpenFolder {
  const fd = open(workspace.root, O_RDONLY | O_DIRECTORY | O_NOFOLLOW);
  if (realPathOfDescriptor(fd, workspace.root) !== workspace.root) {
    throw new ToolInputError(
      `The workspace folder ${workspace.root} was moved or replaced since the run started; nothing was touched. ` +
        "Start the run again in the folder you mean.",
    );
  }
  return { fd, path: workspace.root };
}

// These codes mean the entry changed between lstat and open (became a link, a file, or went away).
const swappedCodes = new Set(["ELOOP", "ENOTDIR", "ENOENT", "ENXIO"]);

function openOrUndefined(open: (file: string, flags: number) => number, file: string, flags: number) {
  try {
    return open(file, flags);
  } catch (error) {
    if (swappedCodes.has(errorCode(error))) return undefined;
    throw error;
  }
}

function makeFolder(location: string): void {
  try {
    mkdirSync(location);
  } catch (error) {
    if (errorCode(error) !== "EEXIST") throw error;
  }
}

function lstatOrUndefined(file: string): Stats | undefined {
  try {
    return lstatSync(file);
  } catch (error) {
    if (errorCode(error) === "ENOENT") return undefined;
    throw error;
  }
}

function readLinkOrUndefined(file: string): string | undefined {
  try {
    return readlinkSync(file);
  } catch (error) {
    if (errorCode(error) === "EINVAL" || errorCode(error) === "ENOENT") return undefined;
    throw error;
  }
}

function closeQuietly(fd: number): void {
  try {
    closeSync(fd);
  } catch {
    // Already closed: nothing left to release.
  }
}
