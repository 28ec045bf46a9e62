/** The JSON Schema keywords the embedded provider reads (`json-schema` types are not installed, so they are named here). */
export interface JsonSchema {
  $ref?: string;
  type?: string | string[];
  const?: unknown;
  enum?: unknown[];
  anyOf?: JsonSchemaDefinition[];
  oneOf?: JsonSchemaDefinition[];
  allOf?: JsonSchemaDefinition[];
  /** OpenAPI 3.0's way of allowing null. */
  nullable?: boolean;
  properties?: Record<string, JsonSchemaDefinition>;
  required?: string[];
  additionalProperties?: JsonSchemaDefinition;
  items?: JsonSchemaDefinition | JsonSchemaDefinition[];
  prefixItems?: JsonSchemaDefinition[];
  minItems?: number;
  maxItems?: number;
  minLength?: number;
  maxLength?: number;
  pattern?: string;
  minimum?: number;
  maximum?: number;
  /** A number since draft 6; a boolean modifier of minimum in draft 4. */
  exclusiveMinimum?: number | boolean;
  exclusiveMaximum?: number | boolean;
  description?: string;
  [keyword: string]: unknown;
}

export type JsonSchemaDefinition = JsonSchema | boolean;
