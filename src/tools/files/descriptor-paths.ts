import { existsSync, readlinkSync } from "node:fs";
import path from "node:path";

// /proc/self/fd/<fd>/<name> is openat(fd, name): the folder is the one the descriptor holds, whatever its path says now.
const descriptorPathsAvailable = existsSync("/proc/self/fd");

/** A folder held open by its descriptor, with the real path it had when it was opened and verified. */
export interface OpenFolder {
  readonly fd: number;
  readonly path: string;
}

/** The path that names `name` inside an open folder without going through the folder's path again. */
export function entryPath(folder: OpenFolder, name: string): string {
  return descriptorPathsAvailable ? `/proc/self/fd/${folder.fd}/${name}` : path.join(folder.path, name);
}

/** The path that names an open folder itself, for readdir. */
export function folderPath(folder: OpenFolder): string {
  return descriptorPathsAvailable ? `/proc/self/fd/${folder.fd}` : folder.path;
}

/** A path that names an open file itself (for access checks); its recorded path without /proc. */
export function descriptorPath(fd: number, recordedPath: string): string {
  return descriptorPathsAvailable ? `/proc/self/fd/${fd}` : recordedPath;
}

/**
 * Where an open descriptor really is, read from the kernel; undefined when the file was deleted meanwhile.
 * Without /proc (not Linux) the caller's own record of the path is all there is.
 */
export function realPathOfDescriptor(fd: number, recordedPath: string): string | undefined {
  if (!descriptorPathsAvailable) return recordedPath;
  const real = readlinkSync(`/proc/self/fd/${fd}`);
  return real.endsWith(" (deleted)") || !path.isAbsolute(real) ? undefined : real;
}
