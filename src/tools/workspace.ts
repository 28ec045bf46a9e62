import { existsSync, realpathSync } from "node:fs";
import path from "node:path";
import { ToolInputError } from "./tool-errors.ts";

/** The one folder a run's file tools may touch; every path is checked to stay inside it. */
export class Workspace {
  readonly root: string;

  constructor(root: string) {
    this.root = realpathSync(path.resolve(root));
  }

  /** Resolves a model-given relative path, refusing absolute paths, `..` escapes, NUL bytes and symlinks out. */
  resolve(relativePath: string): string {
    if (relativePath.includes("\0")) throw new ToolInputError(`Path contains a NUL byte; use a plain relative path.`);
    if (path.isAbsolute(relativePath)) {
      throw new ToolInputError(`Absolute paths are refused ("${relativePath}"); use a path relative to the workspace.`);
    }
    const candidate = path.resolve(this.root, relativePath);
    if (!this.contains(candidate)) {
      throw new ToolInputError(`Path "${relativePath}" leaves the workspace; only files inside it can be used.`);
    }
    // The deepest existing ancestor decides where a symlink really points.
    let existing = candidate;
    while (!existsSync(existing) && existing !== this.root) existing = path.dirname(existing);
    const real = realpathSync(existing);
    if (!this.contains(real)) {
      throw new ToolInputError(`Path "${relativePath}" goes through a symlink that points outside the workspace.`);
    }
    return path.join(real, path.relative(existing, candidate));
  }

  relative(absolutePath: string): string {
    return path.relative(this.root, absolutePath) || ".";
  }

  private contains(absolutePath: string): boolean {
    const relative = path.relative(this.root, absolutePath);
    return relative === "" || (!relative.startsWith("..") && !path.isAbsolute(relative));
  }
}
