import { lstatSync, readdirSync, type Stats } from "node:fs";
import path from "node:path";
import type { Workspace } from "../workspace.ts";

// Enough for $TANSUO_HOME (config, database, models); a walk past this stops rather than stall a tool call.
const maximumEntries = 20_000;
// Hidden folders change rarely; a short cache spares a walk for every file of a search.
const cacheMilliseconds = 2_000;

const cache = new WeakMap<Workspace, { inodes: Set<string>; madeAt: number }>();

/**
 * True when a file with several hard links is the same file (device and inode) as one under a hidden path: a hard
 * link made in the workspace is another name for it, which hiding by path alone does not see.
 */
export function isHardLinkToHidden(workspace: Workspace, stats: Stats): boolean {
  if (!stats.isFile() || stats.nlink < 2 || workspace.hiddenPaths.length === 0) return false;
  let cached = cache.get(workspace);
  if (!cached || Date.now() - cached.madeAt > cacheMilliseconds) {
    cached = { inodes: hiddenInodes(workspace.hiddenPaths), madeAt: Date.now() };
    cache.set(workspace, cached);
  }
  return cached.inodes.has(`${stats.dev}:${stats.ino}`);
}

function hiddenInodes(hiddenPaths: readonly string[]): Set<string> {
  const inodes = new Set<string>();
  const pending = hiddenPaths.map((hidden) => path.resolve(hidden));
  let visited = 0;
  while (pending.length > 0 && visited < maximumEntries) {
    const current = pending.pop()!;
    visited++;
    let info: Stats;
    try {
      info = lstatSync(current);
    } catch {
      continue;
    }
    // Symlinks are skipped: their targets are not hidden by being linked to.
    if (info.isFile()) inodes.add(`${info.dev}:${info.ino}`);
    else if (info.isDirectory()) {
      try {
        for (const name of readdirSync(current)) pending.push(path.join(current, name));
      } catch {
        // Unreadable folder: nothing under it can be linked by this user either.
      }
    }
  }
  return inodes;
}
