import type { Stats } from "node:fs";
import { ToolInputError } from "../tool-errors.ts";

/** What a non-regular file is, in words a model understands. */
export function describeFileKind(stats: Stats): string {
  if (stats.isDirectory()) return "a folder";
  if (stats.isFIFO()) return "a FIFO (named pipe)";
  if (stats.isSocket()) return "a socket";
  if (stats.isCharacterDevice()) return "a character device";
  if (stats.isBlockDevice()) return "a block device";
  if (stats.isSymbolicLink()) return "a symlink";
  return "not a regular file";
}

export const notRegularFile = (relativePath: string, stats: Stats) =>
  new ToolInputError(
    `"${relativePath}" is ${describeFileKind(stats)}, not a regular file; file tools only read and write regular files ` +
      "(reading a pipe or device could block or never end). Use run_command if you really need it.",
  );

export const hiddenByTansuo = (relativePath: string) =>
  new ToolInputError(
    `"${relativePath}" is hidden by Tansuo because it holds Tansuo's config and keys; file tools cannot read, ` +
      "list or change it. Work with other files in the workspace.",
  );

export const linkOutOrNowhere = (relativePath: string) =>
  new ToolInputError(`Path "${relativePath}" goes through a symlink that points outside the workspace or nowhere.`);

export const tooManyLinks = (relativePath: string) =>
  new ToolInputError(
    `Path "${relativePath}" goes through more than 40 symlinks (a chain too long, or a loop); use the real path.`,
  );

export const changedWhileOpening = (relativePath: string) =>
  new ToolInputError(
    `"${relativePath}" kept changing while it was being opened (something is swapping it); nothing was read or ` +
      "written. Try again when it is stable.",
  );

export const severalHardLinks = (relativePath: string, links: number) =>
  new ToolInputError(
    `"${relativePath}" has ${links} hard links, so the same content may also live outside the workspace under ` +
      "another name; Tansuo refuses to read or edit it. If that is expected (pnpm's store hard-links files on " +
      'purpose), the user can set "files": { "allowHardLinks": true } in $TANSUO_HOME/config.json.',
  );
