import type { z } from "zod";
import { InvalidRequestError } from "./gateway-errors.ts";
import { maximumJsonDepth, tooDeepPath } from "./json-depth.ts";

/** `messages[1].content` from zod's path `["messages", 1, "content"]`. */
export function fieldName(path: readonly PropertyKey[]): string {
  let name = "";
  for (const segment of path) {
    if (typeof segment === "number") name += `[${segment}]`;
    else name += name === "" ? String(segment) : `.${String(segment)}`;
  }
  return name;
}

/** Shown in a message: the start of a path that may be thousands of segments long. */
const shortFieldName = (path: readonly PropertyKey[]) =>
  fieldName(path.slice(0, 6)) + (path.length > 6 ? `... (${path.length} levels)` : "");

/**
 * Parses a body as JSON and checks it against a schema; a failure is a 400 that names the field. Nesting is
 * measured before the schema (or anything else recursive) sees the body.
 */
export function readJsonBody<Schema extends z.ZodType>(text: string, schema: Schema): z.infer<Schema> {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (error) {
    throw new InvalidRequestError(
      `The request body is not valid JSON (${error instanceof Error ? error.message : String(error)}).`,
      { code: "invalid_json" },
    );
  }
  const deep = tooDeepPath(raw);
  if (deep) {
    const field = shortFieldName(deep);
    throw new InvalidRequestError(
      `The request body nests arrays and objects deeper than ${maximumJsonDepth} levels (at \`${field}\`); ` +
        `nothing was done. Flatten it (a tool's JSON schema, for one, needs far fewer levels).`,
      { code: "nesting_too_deep", param: fieldName(deep.slice(0, 6)) || null },
    );
  }
  const parsed = schema.safeParse(raw);
  if (parsed.success) return parsed.data;
  const issue = closestIssue(parsed.error.issues[0]!);
  const field = fieldName(issue.path);
  const where = field === "" ? "The request body" : `Field \`${field}\``;
  const missing = issue.code === "invalid_type" && issue.message.endsWith("received undefined");
  throw new InvalidRequestError(`${where}: ${missing ? "required, but missing" : issue.message}.`, {
    code: missing ? "missing_required_parameter" : "invalid_value",
    param: field === "" ? null : field,
  });
}

/** For a union that failed, the branch that got furthest, so the message names the deepest field. */
function closestIssue(issue: z.core.$ZodIssue): z.core.$ZodIssue {
  if (issue.code !== "invalid_union" || issue.errors.length === 0) return issue;
  const candidates = issue.errors.map((branch) => branch[0]).filter((first) => first !== undefined);
  const deepest = candidates.reduce((best, next) => (next.path.length > best.path.length ? next : best));
  if (deepest.path.length === 0) {
    const expected = candidates.map((candidate) => candidate.message.replace(/^Invalid input: /, "")).join(", or ");
    return { ...issue, message: `Invalid input: ${expected}` };
  }
  const nested = closestIssue(deepest);
  return { ...nested, path: [...issue.path, ...nested.path] } as z.core.$ZodIssue;
}
