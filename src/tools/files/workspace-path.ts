import path from "node:path";
import { ToolInputError } from "../tool-errors.ts";

/**
 * Splits a model-given path into components inside the workspace, refusing NUL bytes, absolute paths and `..`
 * that climbs above the root. `..` is resolved by the text here, as the shell would for a path typed by a user.
 */
export function splitWorkspacePath(relativePath: string): string[] {
  if (relativePath.includes("\0")) throw new ToolInputError(`Path contains a NUL byte; use a plain relative path.`);
  if (path.isAbsolute(relativePath)) {
    throw new ToolInputError(`Absolute paths are refused ("${relativePath}"); use a path relative to the workspace.`);
  }
  const components: string[] = [];
  for (const component of relativePath.split("/")) {
    if (component === "" || component === ".") continue;
    if (component !== "..") components.push(component);
    else if (components.pop() === undefined) {
      throw new ToolInputError(`Path "${relativePath}" leaves the workspace; only files inside it can be used.`);
    }
  }
  return components;
}

/** The components of a symlink's target, `..` kept: it climbs from the folder the link really is in. */
export function splitLinkTarget(target: string): string[] {
  return target.split("/").filter((component) => component !== "" && component !== ".");
}
