import { existsSync, lstatSync, readFileSync } from "node:fs";
import path from "node:path";

/** A file of project instructions as the prompt carries it: its path relative to the workspace, and its text. */
export interface ProjectInstructionFile {
  path: string;
  text: string;
}

// Large enough for any real AGENTS.md; a bigger file is cut, so one file cannot fill the context window.
export const maximumInstructionBytes = 64 * 1024;

/** True when `file` is `folder` or inside it. */
export function isInside(file: string, folder: string): boolean {
  const relative = path.relative(folder, file);
  return relative === "" || (!relative.startsWith("..") && !path.isAbsolute(relative));
}

/** The folders from the repository root (the nearest one holding .git) down to the workspace; without one, the workspace. */
export function instructionFolders(workspace: string): string[] {
  const folders: string[] = [];
  let folder = path.resolve(workspace);
  while (true) {
    folders.unshift(folder);
    if (existsSync(path.join(folder, ".git"))) return folders;
    const parent = path.dirname(folder);
    if (parent === folder) return [path.resolve(workspace)];
    folder = parent;
  }
}

/**
 * AGENTS.md (CLAUDE.md where a folder has none) from the repository root down to the workspace, outermost first.
 * Files inside a hidden path ($TANSUO_HOME) are never read; a file over 64 KB is cut with a warning.
 */
export function readProjectInstructions(
  workspace: string,
  options: { hiddenPaths: readonly string[] },
): { files: ProjectInstructionFile[]; warnings: string[] } {
  const files: ProjectInstructionFile[] = [];
  const warnings: string[] = [];
  for (const folder of instructionFolders(workspace)) {
    const file = ["AGENTS.md", "CLAUDE.md"].map((name) => path.join(folder, name)).find(isRegularFile);
    if (!file || options.hiddenPaths.some((hidden) => isInside(file, hidden))) continue;
    const relative = path.relative(workspace, file);
    const bytes = readFileSync(file);
    let text = bytes.toString("utf8");
    if (bytes.length > maximumInstructionBytes) {
      text = `${bytes.subarray(0, maximumInstructionBytes).toString("utf8")}\n[cut: ${relative} is ${bytes.length} bytes; only the first 64 KB are shown]`;
      warnings.push(`${relative} is ${bytes.length} bytes; only its first 64 KB go into the prompt.`);
    }
    files.push({ path: relative, text: text.trim() });
  }
  return { files, warnings };
}

function isRegularFile(file: string): boolean {
  try {
    return lstatSync(file).isFile();
  } catch {
    return false;
  }
}
