import { ToolInputError } from "../tool-errors.ts";
import { errorCode } from "./error-code.ts";

const explanations: Record<string, string> = {
  EACCES: "permission denied",
  EPERM: "operation not permitted",
  EROFS: "the file system is read-only",
  ENAMETOOLONG: "a name in it is too long",
  ENOSPC: "the disk is full",
  EISDIR: "it is a folder",
  ENOTEMPTY: "a folder is in the way",
  EBUSY: "it is in use",
};

/**
 * Turns an fs failure into a message about the model's path (not the /proc/self/fd path it was opened by);
 * anything else (an abort, a refusal already worded) is returned as it is.
 */
export function fileSystemFailure(error: unknown, relativePath: string, action: "open" | "write"): unknown {
  const code = errorCode(error);
  if (error instanceof ToolInputError || !/^E[A-Z]+$/.test(code)) return error;
  return new ToolInputError(
    `Could not ${action} "${relativePath}": ${explanations[code] ?? code} (${code}); nothing was changed.`,
  );
}
