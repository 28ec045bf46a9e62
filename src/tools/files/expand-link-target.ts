import { realpathSync } from "node:fs";
import path from "node:path";
import type { Workspace } from "../workspace.ts";
import { splitLinkTarget } from "./workspace-path.ts";

/** A symlink's target as components to walk, from the link's own folder or from the workspace root. */
export interface ExpandedLink {
  fromRoot: boolean;
  components: string[];
}

/**
 * Turns a symlink's target into components to walk again inside the workspace; undefined when it points outside.
 * An absolute target that reaches the workspace by another route (a linked parent of the root, /proc/self/root)
 * is looked up with realpath only to learn which workspace path it names; that path is then walked safely.
 */
export function expandLinkTarget(workspace: Workspace, target: string): ExpandedLink | undefined {
  if (!path.isAbsolute(target)) return { fromRoot: false, components: splitLinkTarget(target) };
  const underRoot = insideRoot(workspace, target) ?? insideRoot(workspace, realpathOrUndefined(target));
  return underRoot === undefined ? undefined : { fromRoot: true, components: splitLinkTarget(underRoot) };
}

function insideRoot(workspace: Workspace, target: string | undefined): string | undefined {
  if (target === undefined) return undefined;
  if (target === workspace.root) return "";
  return target.startsWith(`${workspace.root}/`) ? target.slice(workspace.root.length + 1) : undefined;
}

function realpathOrUndefined(file: string): string | undefined {
  try {
    return realpathSync(file);
  } catch {
    return undefined;
  }
}
