import { existsSync, readFileSync } from "node:fs";
import { readdir } from "node:fs/promises";
import path from "node:path";
import ignore, { type Ignore } from "ignore";
import type { Workspace } from "../workspace.ts";

/**
 * Lists files under a folder, skipping .git, node_modules, what the workspace's .gitignore excludes, and
 * symlinks that lead outside the workspace (symlinked folders are listed, not entered).
 */
export async function* walkWorkspace(workspace: Workspace, start: string, maximumDepth = 64): AsyncGenerator<string> {
  const rules = ignore().add([".git", "node_modules"]);
  const rootIgnore = path.join(workspace.root, ".gitignore");
  if (existsSync(rootIgnore)) rules.add(readFileSync(rootIgnore, "utf8"));
  yield* walk(workspace, start, rules, 0, maximumDepth);
}

async function* walk(
  workspace: Workspace,
  folder: string,
  rules: Ignore,
  depth: number,
  maximumDepth: number,
): AsyncGenerator<string> {
  if (depth > maximumDepth) return;
  const entries = await readdir(folder, { withFileTypes: true }).catch(() => []);
  entries.sort((left, right) => left.name.localeCompare(right.name));
  for (const entry of entries) {
    const absolute = path.join(folder, entry.name);
    const relative = path.relative(workspace.root, absolute);
    const isFolder = entry.isDirectory();
    if (rules.ignores(isFolder ? `${relative}/` : relative)) continue;
    if (isFolder) {
      yield `${relative}/`;
      yield* walk(workspace, absolute, rules, depth + 1, maximumDepth);
    } else if (entry.isFile() || (entry.isSymbolicLink() && workspace.holds(absolute))) {
      yield relative;
    }
  }
}
