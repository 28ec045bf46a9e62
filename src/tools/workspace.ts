import { lstatSync, realpathSync } from "node:fs";
import path from "node:path";
import { ToolInputError } from "./tool-errors.ts";

/** The one folder a run's file tools may touch; every path is checked to stay inside it. */
export class Workspace {
  readonly root: string;
  /** Paths inside or around the workspace that tools must never touch ($TANSUO_HOME, config files). */
  readonly hiddenPaths: readonly string[];

  constructor(root: string, options: { hiddenPaths?: readonly string[] } = {}) {
    this.root = realpathSync(path.resolve(root));
    this.hiddenPaths = options.hiddenPaths ?? [];
  }

  /**
   * Resolves a model-given relative path, refusing absolute paths, `..` escapes, NUL bytes, and symlinks that
   * point outside or nowhere. Each existing component is checked, so the result has no symlink left in it.
   */
  resolve(relativePath: string): string {
    if (relativePath.includes("\0")) throw new ToolInputError(`Path contains a NUL byte; use a plain relative path.`);
    if (path.isAbsolute(relativePath)) {
      throw new ToolInputError(`Absolute paths are refused ("${relativePath}"); use a path relative to the workspace.`);
    }
    const candidate = path.resolve(this.root, relativePath);
    if (!this.contains(candidate)) {
      throw new ToolInputError(`Path "${relativePath}" leaves the workspace; only files inside it can be used.`);
    }
    let current = this.root;
    const components = path.relative(this.root, candidate).split(path.sep).filter(Boolean);
    for (const [index, component] of components.entries()) {
      const next = path.join(current, component);
      const info = lstatOrUndefined(next);
      // Nothing exists from here on: the rest will be created as plain folders and files inside `current`.
      if (!info) return path.join(current, ...components.slice(index));
      if (info.isSymbolicLink()) {
        const target = realpathOrUndefined(next);
        if (!target || !this.contains(target)) {
          throw new ToolInputError(
            `Path "${relativePath}" goes through a symlink that points outside the workspace or nowhere.`,
          );
        }
        current = target;
      } else {
        current = next;
      }
    }
    return current;
  }

  /** True when an existing path (symlinks followed) is inside the workspace. */
  holds(absolutePath: string): boolean {
    const real = realpathOrUndefined(absolutePath);
    return real !== undefined && this.contains(real);
  }

  relative(absolutePath: string): string {
    return path.relative(this.root, absolutePath) || ".";
  }

  private contains(absolutePath: string): boolean {
    const relative = path.relative(this.root, absolutePath);
    return relative === "" || (!relative.startsWith("..") && !path.isAbsolute(relative));
  }
}

function lstatOrUndefined(file: string) {
  try {
    return lstatSync(file);
  } catch {
    return undefined;
  }
}

function realpathOrUndefined(file: string) {
  try {
    return realpathSync(file);
  } catch {
    return undefined;
  }
}
