import { APICallError } from "@ai-sdk/provider";
import { type ErrorKind, TansuoError } from "./tansuo-error.ts";

/**
 * Who is at fault for any thrown value. Beside Tansuo's own errors, two foreign ones are known: an operating-system
 * error (a port in use, a folder not writable) is the user's to fix, an AI SDK provider's failed call the provider's.
 * Anything else was not expected, so it is Tansuo's own fault.
 */
export function errorKindOf(error: unknown): ErrorKind {
  if (error instanceof TansuoError) return error.kind;
  if (APICallError.isInstance(error)) return "provider";
  if (isSystemError(error)) return "user";
  return "internal";
}

// Node's system errors carry the failed call's name (listen, open, mkdir) beside their code (EADDRINUSE, EACCES).
const isSystemError = (error: unknown): boolean =>
  error instanceof Error &&
  typeof (error as NodeJS.ErrnoException).code === "string" &&
  typeof (error as NodeJS.ErrnoException).syscall === "string";
