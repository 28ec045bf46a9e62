import { lstatSync, unlinkSync } from "node:fs";
import path from "node:path";
import type { FileState } from "../../store/checkpoint-records.ts";
import { entryPath } from "../../tools/files/descriptor-paths.ts";
import { readDescriptor } from "../../tools/files/read-descriptor.ts";
import { replaceEntryContent } from "../../tools/files/replace-file.ts";
import { resolveEntry } from "../../tools/files/resolve-entry.ts";
import type { Workspace } from "../../tools/workspace.ts";

/** Files larger than this are not copied into the store; undo says they were too large to checkpoint. */
export const maximumCheckpointBytes = 10 * 1024 * 1024;

/** A path's key in checkpoints: workspace-relative, normalised, or undefined when it leads outside. */
export function checkpointPath(workspace: Workspace, relativePath: string): string | undefined {
  const absolute = path.resolve(workspace.root, relativePath);
  if (!workspace.contains(absolute) || workspace.isHidden(absolute)) return undefined;
  return workspace.relative(absolute);
}

/**
 * What a workspace file is now, read through the same component-by-component walk the file tools use (links
 * out, hidden paths and devices refused: undefined, nothing to keep). A path whose folder is missing is absent.
 */
export function readFileState(workspace: Workspace, relativePath: string): FileState | undefined {
  let entry: ReturnType<typeof resolveEntry>;
  try {
    entry = resolveEntry(workspace, relativePath);
  } catch {
    return missingOnDisk(workspace, relativePath) ? { kind: "absent" } : undefined;
  }
  try {
    if (!entry.target) return { kind: "absent" };
    if (!entry.target.stats.isFile()) return undefined;
    const size = entry.target.stats.size;
    if (size > maximumCheckpointBytes) return { kind: "too-large", size };
    return { kind: "content", content: new Uint8Array(readDescriptor(entry.target.fd, maximumCheckpointBytes + 1)) };
  } finally {
    entry.close();
  }
}

/** Puts a file state back: its bytes (atomic replace, folders made again as needed), or removes the file. */
export function writeFileState(workspace: Workspace, relativePath: string, state: FileState): void {
  if (state.kind === "too-large") throw new Error(`${relativePath} was too large to checkpoint`);
  const entry = resolveEntry(workspace, relativePath, { createMissingFolders: state.kind === "content" });
  try {
    if (state.kind === "content") replaceEntryContent(workspace, entry, relativePath, state.content);
    else if (entry.target) unlinkSync(entryPath(entry.parent, entry.name));
  } finally {
    entry.close();
  }
}

export function sameFileState(left: FileState | undefined, right: FileState | undefined): boolean {
  if (!left || !right || left.kind !== right.kind) return false;
  if (left.kind === "absent") return true;
  if (left.kind === "too-large") return right.kind === "too-large" && left.size === right.size;
  return right.kind === "content" && Buffer.from(left.content).equals(Buffer.from(right.content));
}

function missingOnDisk(workspace: Workspace, relativePath: string): boolean {
  const absolute = path.resolve(workspace.root, relativePath);
  if (!workspace.contains(absolute) || workspace.isHidden(absolute)) return false;
  try {
    lstatSync(absolute);
    return false;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "ENOENT";
  }
}
