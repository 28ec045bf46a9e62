/** Who is at fault, so a caller can decide what to show and what to do: fix the input, retry, or report a bug. */
export type ErrorKind = "user" | "model" | "provider" | "tool" | "internal";

/**
 * The base of every error Tansuo throws on purpose. `kind` names who is at fault: the user (a bad option, an unknown
 * name, a missing file they named), the model (an answer that breaks the rules), the provider (refused, failed or
 * unreachable), a tool (stopped or failed), or Tansuo itself (a broken invariant: a bug to report).
 */
export abstract class TansuoError extends Error {
  abstract readonly kind: ErrorKind;
}
