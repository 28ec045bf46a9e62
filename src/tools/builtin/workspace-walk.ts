import { existsSync, readFileSync } from "node:fs";
import { readdir } from "node:fs/promises";
import path from "node:path";
import ignore, { type Ignore } from "ignore";

/** Lists files under a folder, skipping .git, node_modules and what the workspace's .gitignore files exclude. */
export async function* walkWorkspace(root: string, start: string, maximumDepth = 64): AsyncGenerator<string> {
  const rules = ignore().add([".git", "node_modules"]);
  const rootIgnore = path.join(root, ".gitignore");
  if (existsSync(rootIgnore)) rules.add(readFileSync(rootIgnore, "utf8"));
  yield* walk(root, start, rules, 0, maximumDepth);
}

async function* walk(
  root: string,
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
    const relative = path.relative(root, absolute);
    const isFolder = entry.isDirectory();
    if (rules.ignores(isFolder ? `${relative}/` : relative)) continue;
    if (isFolder) {
      yield `${relative}/`;
      yield* walk(root, absolute, rules, depth + 1, maximumDepth);
    } else if (entry.isFile() || entry.isSymbolicLink()) {
      yield relative;
    }
  }
}
