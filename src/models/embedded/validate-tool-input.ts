import { type ZodType, z } from "zod";
import type { JsonSchemaDefinition } from "./json-schema.ts";

// Converted once per schema object; null marks a schema zod cannot convert.
const validators = new WeakMap<object, ZodType | null>();

/**
 * What is wrong with `input` under `schema`, or undefined when it is valid. The grammar already enforces
 * structure and types; this catches the rest (pattern, format, numeric bounds). A schema zod cannot convert
 * is trusted to the grammar.
 */
export function toolInputProblems(schema: JsonSchemaDefinition, input: unknown): string | undefined {
  if (typeof schema === "boolean") return schema ? undefined : "the schema accepts nothing";
  let validator = validators.get(schema);
  if (validator === undefined) {
    try {
      validator = z.fromJSONSchema(schema as Parameters<typeof z.fromJSONSchema>[0]);
    } catch {
      validator = null;
    }
    validators.set(schema, validator);
  }
  if (validator === null) return undefined;
  const result = validator.safeParse(input);
  if (result.success) return undefined;
  return result.error.issues
    .map((issue) => `${issue.path.length > 0 ? issue.path.join(".") : "input"}: ${issue.message}`)
    .join("; ");
}
