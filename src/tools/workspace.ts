import { realpathSync } from "node:fs";
import path from "node:path";

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
    this.root = realpathSync(path.resolve(root));
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
