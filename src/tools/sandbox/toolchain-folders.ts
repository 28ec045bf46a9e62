import { existsSync } from "node:fs";
import path from "node:path";
import { canonical, credentialLocations } from "./hidden-locations.ts";

/**
 * The folders in a home that PATH runs programs from (~/.cargo, ~/.nvm, ~/.local, ~/bin...), shown read-only
 * inside the sandbox so tools installed per user still work; folders that hold credentials are never among them.
 */
export function toolchainFolders(pathVariable: string | undefined, homes: readonly string[], workspace: string) {
  const folders = new Set<string>();
  for (const entry of (pathVariable ?? "").split(":")) {
    if (!entry || !path.isAbsolute(entry) || !existsSync(entry)) continue;
    const resolved = canonical(entry);
    for (const home of homes) {
      const relative = path.relative(home, resolved);
      if (relative === "" || relative.startsWith("..") || path.isAbsolute(relative)) continue;
      const top = relative.split(path.sep)[0]!;
      if (credentialLocations.some((location) => location.split("/")[0] === top && !location.includes("/"))) continue;
      const folder = path.join(home, top);
      if (folder !== workspace && !workspace.startsWith(`${folder}/`)) folders.add(folder);
    }
  }
  return [...folders];
}
