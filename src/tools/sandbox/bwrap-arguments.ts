import { lstatSync, readdirSync } from "node:fs";
import path from "node:path";
import { canonical, credentialLocations, homeFolders, privilegedSockets } from "./hidden-locations.ts";
import { toolchainFolders } from "./toolchain-folders.ts";

export interface SandboxLayout {
  /** The only folder the command may write to (besides fresh scratch folders). */
  workspace: string;
  /** Paths that must not be visible at all ($TANSUO_HOME, config files). */
  hiddenPaths: readonly string[];
  environment: NodeJS.ProcessEnv;
  network: boolean;
  /** Files bound read-only last, so they show through the covers (a hook's script under a hidden home). */
  readOnlyPaths?: readonly string[];
}

/** The namespaces every sandboxed command gets; the probe checks that this machine can create them. */
export function namespaceArguments(network: boolean): string[] {
  return [
    "--unshare-pid",
    "--unshare-ipc",
    "--unshare-uts",
    ...(network ? [] : ["--unshare-net"]),
    "--die-with-parent",
    // Root keeps its capabilities in bwrap unless told; without them it cannot remount what is read-only.
    ...(process.getuid?.() === 0 ? ["--cap-drop", "ALL"] : []),
  ];
}

/**
 * bubblewrap's arguments, in an order where a later mount wins: the system read-only; fresh /dev, /proc and /tmp;
 * homes replaced by empty folders but for the toolchains on PATH (read-only); the workspace read-write; then
 * every hidden path and credential location that is still in sight covered.
 */
export function bwrapArguments(layout: SandboxLayout): string[] {
  const workspace = canonical(layout.workspace);
  const homes = homeFolders(layout.environment);
  const scratch = ["/tmp", "/var/tmp", ...homes].filter((folder) => folder !== workspace);
  const toolchains = toolchainFolders(layout.environment.PATH, homes, workspace);
  const secret = [
    ...layout.hiddenPaths,
    ...privilegedSockets,
    ...homes.flatMap((home) => credentialLocations.map((location) => path.join(home, location))),
  ].map(canonical);
  // What the workspace bind or a toolchain bind shows again, or no scratch folder hid in the first place.
  const inSight = (target: string) =>
    isWithin(target, workspace) ||
    toolchains.some((folder) => isWithin(target, folder)) ||
    !scratch.some((folder) => isWithin(target, folder));
  const home = layout.environment.HOME ? canonical(layout.environment.HOME) : undefined;
  return [
    ...["--ro-bind", "/", "/", "--dev", "/dev", "--proc", "/proc"],
    ...namespaceArguments(layout.network),
    ...covers(scratch.filter((target) => !isInside(target, workspace))),
    // Above the workspace, a hidden path is covered before the workspace is bound inside it.
    ...covers(secret.filter((target) => isInside(workspace, target))),
    ...toolchains.flatMap((folder) => ["--ro-bind", folder, folder]),
    ...(home && home !== "/" && !isWithin(home, workspace) ? ["--dir", home] : []),
    ...["--bind", workspace, workspace],
    ...covers(scratch.filter((target) => isInside(target, workspace))),
    ...covers(
      secret.flatMap((target) =>
        target === workspace ? children(target) : isInside(workspace, target) || !inSight(target) ? [] : [target],
      ),
    ),
    ...(layout.readOnlyPaths ?? []).flatMap((file) => ["--ro-bind", file, file]),
    ...["--chdir", workspace],
  ];
}

const isInside = (target: string, folder: string) => target.startsWith(folder === "/" ? "/" : `${folder}/`);
const isWithin = (target: string, folder: string) => target === folder || isInside(target, folder);

function children(folder: string): string[] {
  try {
    return readdirSync(folder).map((name) => path.join(folder, name));
  } catch {
    return [];
  }
}

// An existing folder becomes an empty tmpfs, anything else /dev/null; a path under one already covered is skipped.
function covers(targets: readonly string[]): string[] {
  const covered: string[] = [];
  const result: string[] = [];
  for (const target of [...new Set(targets)].sort((left, right) => left.length - right.length)) {
    if (covered.some((folder) => isWithin(target, folder))) continue;
    let isFolder: boolean;
    try {
      isFolder = lstatSync(target).isDirectory();
    } catch {
      continue;
    }
    covered.push(target);
    result.push(...(isFolder ? ["--tmpfs", target] : ["--ro-bind", "/dev/null", target]));
  }
  return result;
}
