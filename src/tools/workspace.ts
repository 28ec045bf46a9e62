import { realpathSync, statSync } from "node:fs";
import path from "node:path";
import { WorkspaceError } from "./workspace-error.ts";

/**
 * The one folder a run's file tools may touch. It only knows where the bounds are; the tools open paths through
 * `files/resolve-entry.ts`, which checks every component as it opens it.
 */
export class Workspace {
  readonly root: string;
  /** Paths inside or around the workspace that tools must never touch ($TANSUO_HOME, config files). */
  readonly hiddenPaths: readonly string[];
  // Both as given and with links resolved: a path opened component by component has its real form.
  private readonly hiddenForms: readonly string[];

  constructor(root: string, options: { hiddenPaths?: readonly string[] } = {}) {
    this.root = realpathSync(checkedWorkspaceFolder(path.resolve(root)));
    this.hiddenPaths = options.hiddenPaths ?? [];
    const forms = this.hiddenPaths.flatMap((hidden) => [path.resolve(hidden), realpathOrUndefined(hidden)]);
    this.hiddenForms = [...new Set(forms.filter((form): form is string => form !== undefined))];
  }

  /** True when an absolute path (taken as it is, links not followed) is the root or lies under it. */
  contains(absolutePath: string): boolean {
    return isWithin(this.root, absolutePath);
  }

  /** True when an absolute path is, or lies under, a path Tansuo hides from tools. */
  isHidden(absolutePath: string): boolean {
    return this.hiddenForms.some((hidden) => isWithin(hidden, absolutePath));
  }

  relative(absolutePath: string): string {
    return path.relative(this.root, absolutePath) || ".";
  }
}

/** The folder itself, or a WorkspaceError that says what is wrong with it (not a raw ENOENT from deep inside). */
export function checkedWorkspaceFolder(folder: string): string {
  let isFolder: boolean;
  try {
    isFolder = statSync(folder).isDirectory();
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code !== "ENOENT" && code !== "ENOTDIR") throw error;
    throw new WorkspaceError(
      `Workspace ${folder} does not exist. Create it (mkdir -p ${folder}), or name an existing folder.`,
    );
  }
  if (!isFolder) {
    throw new WorkspaceError(
      `Workspace ${folder} is a file, not a folder. Name the folder the agent may work in (e.g. its parent).`,
    );
  }
  return folder;
}

function isWithin(folder: string, absolutePath: string): boolean {
  const relative = path.relative(folder, absolutePath);
  return relative === "" || (!relative.startsWith(`..${path.sep}`) && relative !== ".." && !path.isAbsolute(relative));
}

function realpathOrUndefined(file: string) {
  try {
    return realpathSync(file);
  } catch {
    return undefined;
  }
}
