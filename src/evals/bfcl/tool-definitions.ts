import type { JSONSchema7, LanguageModelV3FunctionTool } from "@ai-sdk/provider";
import type { BfclCategory, BfclFunction, BfclParameter, BfclTask } from "./bfcl-task.ts";

// BFCL's GORILLA_TO_OPENAPI: its pseudo-types as JSON Schema types; unknown types and `any` become strings.
const jsonSchemaTypes: Record<string, string> = {
  integer: "integer",
  number: "number",
  float: "number",
  string: "string",
  boolean: "boolean",
  bool: "boolean",
  array: "array",
  list: "array",
  dict: "object",
  object: "object",
  tuple: "array",
  any: "string",
  byte: "integer",
  short: "integer",
  long: "integer",
  double: "number",
  char: "string",
  ArrayList: "array",
  Array: "array",
  HashMap: "object",
  Hashtable: "object",
  Queue: "array",
  Stack: "array",
  Any: "string",
  String: "string",
  Bigint: "integer",
};

// BFCL keywords that are not JSON Schema (`optional: true`, a boolean `required`) are left out.
const keptKeywords = new Set([
  "description",
  "enum",
  "default",
  "format",
  "minimum",
  "maximum",
  "minItems",
  "maxItems",
  "pattern",
  "additionalProperties",
]);

/** The tool name a provider accepts (`^[a-zA-Z0-9_-]{1,64}$`): BFCL replaces dots with underscores. */
export const toolNameOf = (functionName: string): string => functionName.replace(/\./g, "_");

export const isJavaScriptCategory = (category: BfclCategory) => category === "simple_javascript";

const languageHint = (category: BfclCategory) =>
  isJavaScriptCategory(category)
    ? " Note that the provided function is in JavaScript syntax."
    : " Note that the provided function is in Python 3 syntax.";

// BFCL's JavaScript pre-processing: every parameter is asked for as a string of JavaScript source.
function javaScriptParameter(parameter: BfclParameter): BfclParameter {
  const type = parameter.type ?? "any";
  let description = parameter.description ?? "";
  description +=
    type === "any"
      ? " This parameter can be of any type of JavaScript object in string representation."
      : ` This is JavaScript ${type} type parameter in string representation.`;
  const { items, properties, ...rest } = parameter;
  if (type === "array" && items) {
    description += ` The list elements are of type ${items.type}; they are not in string representation.`;
  }
  if (type === "dict" && properties) {
    description += ` The dictionary entries have the following schema; they are not in string representation. ${pythonStyleJson(properties)}`;
  }
  return {
    ...rest,
    ...(type === "array" || !items ? {} : { items }),
    ...(type === "dict" || !properties ? {} : { properties }),
    description,
    type: "string",
  };
}

// json.dumps() spacing, so the description reads as BFCL's does.
const pythonStyleJson = (value: unknown): string =>
  JSON.stringify(value, null, 1)
    .replace(/\n\s*/g, " ")
    .replace(/\[ /g, "[")
    .replace(/ \]/g, "]")
    .replace(/\{ /g, "{")
    .replace(/ \}/g, "}");

function jsonSchemaOf(parameter: BfclParameter): JSONSchema7 {
  const schema: Record<string, unknown> = {};
  for (const [keyword, value] of Object.entries(parameter)) if (keptKeywords.has(keyword)) schema[keyword] = value;
  const type = parameter.type === undefined ? "string" : (jsonSchemaTypes[parameter.type] ?? "string");
  schema.type = type;
  if (parameter.type === "float") {
    schema.format = "float";
    schema.description = `${parameter.description ?? ""} This is a float type value.`;
  }
  if ((type === "array" || type === "object") && parameter.properties) {
    schema.properties = propertiesOf(parameter.properties);
    if (Array.isArray(parameter.required)) schema.required = parameter.required;
  } else if (type === "array" && parameter.items) {
    schema.items = itemSchemaOf(parameter.items);
  }
  return schema as JSONSchema7;
}

// BFCL casts item types without the float note, and recurses into arrays of arrays and arrays of objects.
function itemSchemaOf(items: BfclParameter): JSONSchema7 {
  const schema = jsonSchemaOf(items);
  if (items.type === "float") {
    schema.description = items.description;
    if (schema.description === undefined) delete schema.description;
    delete schema.format;
  }
  return schema;
}

const propertiesOf = (properties: Record<string, BfclParameter>) =>
  Object.fromEntries(Object.entries(properties).map(([name, parameter]) => [name, jsonSchemaOf(parameter)]));

function toolOf(candidate: BfclFunction, category: BfclCategory): LanguageModelV3FunctionTool {
  const properties = isJavaScriptCategory(category)
    ? Object.fromEntries(
        Object.entries(candidate.parameters.properties).map(([name, p]) => [name, javaScriptParameter(p)]),
      )
    : candidate.parameters.properties;
  return {
    type: "function",
    name: toolNameOf(candidate.name),
    description: candidate.description + languageHint(category),
    inputSchema: {
      type: "object",
      properties: propertiesOf(properties),
      required: candidate.parameters.required ?? [],
    },
  };
}

/** The task's functions as tools, converted as BFCL does for function-calling models. */
export function toolsOf(task: BfclTask): LanguageModelV3FunctionTool[] {
  return task.functions.map((candidate) => toolOf(candidate, task.category));
}
