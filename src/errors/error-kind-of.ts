import { type ErrorKind, TansuoError } from "./tansuo-error.ts";

/**
 * Who is at fault for any thrown value. Beside Tansuo's own errors, two foreign ones are known: an operating-system
 * error (a port in use, a folder not writable) is the user's to fix, an AI SDK provider's failed call the provider's.
 * Anything else was not expected, so it is Tansuo's own fault.
 */
export function errorKindOf(error: unknown): ErrorKind {
  if (error instanceof TansuoError) return error.kind;
  if (isApiCallError(error)) return "provider";
  if (isSystemError(error)) return "user";
  return "internal";
}

// The AI SDK marks its APICallError with this symbol (APICallError.isInstance reads it); checked here without
// importing the SDK, which every command's error path (and so `tansuo --help`) would otherwise load.
const apiCallErrorMarker = Symbol.for("vercel.ai.error.AI_APICallError");
const isApiCallError = (error: unknown): boolean =>
  typeof error === "object" && error !== null && (error as Record<symbol, unknown>)[apiCallErrorMarker] === true;

// Node's system errors carry the failed call's name (listen, open, mkdir) beside their code (EADDRINUSE, EACCES).
const isSystemError = (error: unknown): boolean =>
  error instanceof Error &&
  typeof (error as NodeJS.ErrnoException).code === "string" &&
  typeof (error as NodeJS.ErrnoException).syscall === "string";
