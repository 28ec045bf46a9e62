import { readFileSync } from "node:fs";

interface LockEntry {
  version?: string;
  dev?: boolean;
  dependencies?: Record<string, string>;
  optionalDependencies?: Record<string, string>;
  [field: string]: unknown;
}

const registry = "https://registry.npmjs.org";

// The repository's lock names no tarball URLs; without one npm asks for the package's metadata (not cached by
// `npm ci`) to find it, which fails offline (protobufjs did). The registry's URL is the one `npm ci` fetched and cached.
function withRegistryTarball(key: string, entry: LockEntry): LockEntry {
  if (entry.resolved !== undefined || entry.link === true || entry.version === undefined) return entry;
  const name = key.slice(key.lastIndexOf("node_modules/") + "node_modules/".length);
  const basename = name.slice(name.lastIndexOf("/") + 1);
  return { ...entry, resolved: `${registry}/${name}/-/${basename}-${entry.version}.tgz` };
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
    if (key !== "" && entry.dev !== true) packages[key] = withRegistryTarball(key, entry);
  }
  return `${JSON.stringify({ name: consumerName, lockfileVersion: 3, requires: true, packages }, null, 2)}\n`;
}
