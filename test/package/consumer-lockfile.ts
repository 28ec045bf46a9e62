import { readFileSync } from "node:fs";

interface LockEntry {
  version?: string;
  dev?: boolean;
  dependencies?: Record<string, string>;
  optionalDependencies?: Record<string, string>;
  [field: string]: unknown;
}

/**
 * A package-lock.json for an empty project that depends on the packed tarball alone: the repository's own lock
 * without its dev-only packages, plus the tarball at node_modules/tansuo. With it `npm ci --offline` installs from
 * the npm cache that `npm ci` filled, with no registry metadata (which `npm ci` does not cache).
 */
export function consumerLockfile(repositoryLockPath: string, tarballSpec: string, consumerName: string): string {
  const lock = JSON.parse(readFileSync(repositoryLockPath, "utf8")) as {
    packages: Record<string, LockEntry>;
  };
  const root = lock.packages[""]!;
  const packages: Record<string, LockEntry> = {
    "": { name: consumerName, dependencies: { tansuo: tarballSpec } },
    "node_modules/tansuo": {
      version: root.version,
      resolved: tarballSpec,
      license: root.license,
      dependencies: root.dependencies,
      bin: root.bin,
      engines: root.engines,
    },
  };
  for (const [key, entry] of Object.entries(lock.packages)) {
    if (key !== "" && entry.dev !== true) packages[key] = entry;
  }
  return `${JSON.stringify({ name: consumerName, lockfileVersion: 3, requires: true, packages }, null, 2)}\n`;
}
