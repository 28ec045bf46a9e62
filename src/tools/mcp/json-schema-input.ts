import { AjvJsonSchemaValidator } from "@modelcontextprotocol/sdk/validation/ajv";
import type { JsonInputSchema } from "../tool.ts";

const validatorProvider = new AjvJsonSchemaValidator();

/** An MCP tool's input schema as the model sees it: `$schema` dropped, an object schema where the server gave none. */
export function modelFacingSchema(schema: Record<string, unknown> | undefined): Record<string, unknown> {
  const { $schema: _dropped, ...rest } = schema ?? {};
  return { type: "object", properties: {}, ...rest };
}

/**
 * A JsonInputSchema that follows the server's current schema (re-read on list_changed), checked with the SDK's
 * own validator (Ajv). A schema Ajv cannot compile is left to the server to enforce.
 */
export function jsonSchemaInput(currentSchema: () => Record<string, unknown>): JsonInputSchema {
  let compiledFor: Record<string, unknown> | undefined;
  let validator: ((input: unknown) => { valid: boolean; errorMessage?: string }) | undefined;
  return {
    get jsonSchema() {
      return currentSchema();
    },
    validate(input) {
      const schema = currentSchema();
      if (compiledFor !== schema) {
        compiledFor = schema;
        try {
          validator = validatorProvider.getValidator(schema as never);
        } catch {
          validator = undefined;
        }
      }
      const result = validator?.(input) ?? { valid: true };
      return result.valid
        ? { valid: true, data: input }
        : { valid: false, problems: result.errorMessage ?? "the arguments do not match the tool's schema" };
    },
  };
}
