import type { z } from "zod";
import { ProviderMalformedAnswerError, ProviderProtocolError, redactSecret } from "./provider-errors.ts";

const snippetCharacters = 200;

/** Who sent the text, for the error, and the key that must not appear in it. */
export interface WireSource {
  provider: string;
  apiKey: string | undefined;
}

/**
 * Parses one JSON answer or stream chunk against `schema`. Text that is not JSON, an error object in place of an
 * answer, or a field of the wrong type becomes a provider error naming the field, never a TypeError later on.
 */
export function parseWireAnswer<Output>(schema: z.ZodType<Output>, text: string, source: WireSource): Output {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw malformed(source, "(body)", "not JSON", text);
  }
  // Some servers report a failure with a 200, as an object with an `error` and no choices.
  const failure = typeof value === "object" && value !== null ? (value as { error?: unknown }).error : undefined;
  if (failure) throw new ProviderProtocolError(`${source.provider} reported an error: ${failureMessage(failure)}`);
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  throw malformed(source, fieldPathOf(issue?.path ?? []), issue?.message ?? "unexpected shape", text);
}

function malformed(source: WireSource, fieldPath: string, problem: string, text: string) {
  const snippet = redactSecret(text, source.apiKey).slice(0, snippetCharacters);
  return new ProviderMalformedAnswerError(source.provider, fieldPath, problem, snippet);
}

function failureMessage(failure: unknown): string {
  if (typeof failure === "string") return failure;
  const message = (failure as { message?: unknown }).message;
  return typeof message === "string" ? message : JSON.stringify(failure);
}

/** `["choices", 0, "delta", "content"]` as `choices[0].delta.content`; the top level as `(answer)`. */
function fieldPathOf(path: readonly PropertyKey[]): string {
  let text = "";
  for (const key of path) text += typeof key === "number" ? `[${key}]` : `${text ? "." : ""}${String(key)}`;
  return text || "(answer)";
}
