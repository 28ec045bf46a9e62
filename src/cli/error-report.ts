import { errorKindOf } from "../errors/error-kind-of.ts";

const reportHint =
  "This is a bug in Tansuo, not a mistake of yours. Please report it with the command you ran and the trace below; " +
  "what was saved before it (runs, steps, keys) is kept.";

/**
 * What the CLI prints for an error that ended a command: the message alone when the user, the model, the provider or
 * a tool is at fault (the message says what to do), and for Tansuo's own fault a hint to report it with the trace.
 */
export function errorReport(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  if (errorKindOf(error) !== "internal") return `tansuo: ${message}\n`;
  const trace = error instanceof Error && error.stack ? error.stack : message;
  return `tansuo: ${message}\n${reportHint}\n\n${trace}\n`;
}
