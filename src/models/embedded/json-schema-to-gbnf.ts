import { type GbnfRules, gbnfLiteral, jsonPrimitives } from "./gbnf-rules.ts";
import type { JsonSchema, JsonSchemaDefinition } from "./json-schema.ts";

// Beyond these bounds llama.cpp's expansion of {m,n} grows large; validation after generation still checks them.
const maximumEnforcedLength = 1024;
const maximumEnforcedItems = 256;
const maximumEnumeratedIntegers = 64;

/**
 * A GBNF expression for values valid under `schema`. Enforced: types, const, enum, required and optional
 * properties, string lengths, array lengths, non-negative numbers, small integer ranges, local $refs.
 * Not enforced (checked after generation instead): pattern, format, other numeric bounds, uniqueness.
 */
export function jsonSchemaToGbnf(rules: GbnfRules, schema: JsonSchemaDefinition, hint: string): string {
  return new SchemaWalker(rules, schema).expression(schema, hint);
}

class SchemaWalker {
  private readonly referenceRules = new Map<string, string>();

  constructor(
    private readonly rules: GbnfRules,
    private readonly root: JsonSchemaDefinition,
  ) {}

  expression(definition: JsonSchemaDefinition, hint: string): string {
    // Nothing is valid under `false`; generating any value lets validation report it.
    if (typeof definition === "boolean") return jsonPrimitives.value(this.rules);
    const schema = definition;
    if (schema.$ref !== undefined) return this.reference(schema.$ref);
    if (schema.const !== undefined) return gbnfLiteral(JSON.stringify(schema.const));
    if (schema.enum !== undefined) return alternatives(schema.enum.map((value) => gbnfLiteral(JSON.stringify(value))));
    const branches = schema.anyOf ?? schema.oneOf;
    if (branches !== undefined) {
      const { anyOf: _anyOf, oneOf: _oneOf, ...rest } = schema;
      return alternatives(branches.map((branch, index) => this.expression(merge(rest, branch), `${hint}-${index}`)));
    }
    if (schema.allOf !== undefined) {
      const { allOf, ...rest } = schema;
      return this.expression(allOf.reduce<JsonSchemaDefinition>(merge, rest), hint);
    }
    if (schema.nullable === true) {
      const { nullable: _nullable, ...rest } = schema;
      return alternatives([this.expression(rest, hint), jsonPrimitives.null(this.rules)]);
    }
    const types = typesOf(schema);
    return alternatives(types.map((type) => this.typed(schema, type, hint)));
  }

  private typed(schema: JsonSchema, type: string, hint: string): string {
    switch (type) {
      case "string":
        return this.string(schema);
      case "integer":
        return integer(schema);
      case "number":
        return number(schema);
      case "boolean":
        return jsonPrimitives.boolean(this.rules);
      case "null":
        return jsonPrimitives.null(this.rules);
      case "object":
        return this.rules.define(this.rules.freshName(hint), () => this.object(schema, hint));
      case "array":
        return this.rules.define(this.rules.freshName(hint), () => this.array(schema, hint));
      default:
        return jsonPrimitives.value(this.rules);
    }
  }

  private string(schema: JsonSchema): string {
    const minimum = Math.max(0, Math.floor(schema.minLength ?? 0));
    const maximum = schema.maxLength === undefined ? undefined : Math.floor(schema.maxLength);
    if (minimum === 0 && (maximum === undefined || maximum > maximumEnforcedLength)) {
      return jsonPrimitives.string(this.rules);
    }
    const character = jsonPrimitives.boundedStringCharacter(this.rules);
    const upper = maximum === undefined || maximum > maximumEnforcedLength ? "" : String(Math.max(maximum, minimum));
    return `"\\"" ${character}{${Math.min(minimum, maximumEnforcedLength)},${upper}} "\\""`;
  }

  private object(schema: JsonSchema, hint: string): string {
    const whitespace = jsonPrimitives.whitespace(this.rules);
    const properties = Object.entries(schema.properties ?? {});
    const required = new Set(schema.required ?? []);
    for (const name of required) if (!properties.some(([key]) => key === name)) properties.push([name, true]);
    if (properties.length === 0) return this.map(schema, hint);
    const pair = (name: string, value: JsonSchemaDefinition) =>
      `${gbnfLiteral(JSON.stringify(name))} ${whitespace} ":" ${whitespace} ${this.expression(value, `${hint}-${name}`)}`;
    const pairs = properties.map(([name, value]) => ({ text: pair(name, value), required: required.has(name) }));
    // Properties keep their declared order; an optional one may be left out, and commas only separate present ones.
    const after = (start: number) =>
      pairs
        .slice(start)
        .map(({ text, required: isRequired }) => {
          const item = `${whitespace} "," ${whitespace} ${text}`;
          return isRequired ? item : `( ${item} )?`;
        })
        .join(" ");
    const firstItems: string[] = [];
    for (let index = 0; index < pairs.length; index++) {
      const current = pairs[index];
      if (!current) break;
      firstItems.push(`${current.text} ${after(index + 1)}`.trim());
      if (current.required) break;
    }
    const anyRequired = pairs.some((item) => item.required);
    const body = anyRequired ? alternatives(firstItems) : `( ${alternatives(firstItems)} )?`;
    return `"{" ${whitespace} ${body} ${whitespace} "}"`;
  }

  private map(schema: JsonSchema, hint: string): string {
    const whitespace = jsonPrimitives.whitespace(this.rules);
    if (schema.additionalProperties === false) return `"{" ${whitespace} "}"`;
    const value =
      typeof schema.additionalProperties === "object"
        ? this.expression(schema.additionalProperties, `${hint}-value`)
        : jsonPrimitives.value(this.rules);
    const entry = `${jsonPrimitives.string(this.rules)} ${whitespace} ":" ${whitespace} ${value}`;
    return `"{" ${whitespace} ( ${entry} ( ${whitespace} "," ${whitespace} ${entry} )* )? ${whitespace} "}"`;
  }

  private array(schema: JsonSchema, hint: string): string {
    const whitespace = jsonPrimitives.whitespace(this.rules);
    const tuple = schema.prefixItems ?? (Array.isArray(schema.items) ? schema.items : undefined);
    if (tuple !== undefined) {
      const items = tuple.map((item, index) => this.expression(item, `${hint}-${index}`));
      if (items.length === 0) return `"[" ${whitespace} "]"`;
      return `"[" ${whitespace} ${items.join(` ${whitespace} "," ${whitespace} `)} ${whitespace} "]"`;
    }
    const itemSchema = Array.isArray(schema.items) ? true : (schema.items ?? true);
    const minimum = Math.max(0, Math.floor(schema.minItems ?? 0));
    const maximum =
      schema.maxItems === undefined || schema.maxItems > maximumEnforcedItems ? undefined : Math.floor(schema.maxItems);
    if (maximum === 0) return `"[" ${whitespace} "]"`;
    const item = this.expression(itemSchema, `${hint}-item`);
    const more = `${whitespace} "," ${whitespace} ${item}`;
    const lower = Math.max(0, Math.min(minimum, maximumEnforcedItems) - 1);
    const upper = maximum === undefined ? "" : String(Math.max(maximum - 1, lower));
    const sequence = `${item} ( ${more} ){${lower},${upper}}`;
    return `"[" ${whitespace} ${minimum === 0 ? `( ${sequence} )?` : sequence} ${whitespace} "]"`;
  }

  private reference(pointer: string): string {
    const known = this.referenceRules.get(pointer);
    if (known) return known;
    const name = this.rules.freshName(`ref-${pointer.split("/").pop() ?? "root"}`);
    this.referenceRules.set(pointer, name);
    return this.rules.define(name, () => this.expression(resolvePointer(this.root, pointer), name));
  }
}

function alternatives(expressions: string[]): string {
  const unique = [...new Set(expressions)];
  if (unique.length === 1) return unique[0] ?? '""';
  return `( ${unique.join(" | ")} )`;
}

function typesOf(schema: JsonSchema): string[] {
  if (Array.isArray(schema.type)) return schema.type;
  if (schema.type !== undefined) return [schema.type];
  if (schema.properties !== undefined || schema.required !== undefined || schema.additionalProperties !== undefined) {
    return ["object"];
  }
  if (schema.items !== undefined || schema.prefixItems !== undefined) return ["array"];
  if (schema.minLength !== undefined || schema.maxLength !== undefined || schema.pattern !== undefined)
    return ["string"];
  if (schema.minimum !== undefined || schema.maximum !== undefined) return ["number"];
  return ["any"];
}

function lowerBound(schema: JsonSchema, isInteger: boolean): number | undefined {
  const exclusive = schema.exclusiveMinimum;
  if (typeof exclusive === "number") return isInteger ? Math.floor(exclusive) + 1 : exclusive;
  if (exclusive === true && schema.minimum !== undefined) return isInteger ? schema.minimum + 1 : schema.minimum;
  return schema.minimum === undefined ? undefined : isInteger ? Math.ceil(schema.minimum) : schema.minimum;
}

function upperBound(schema: JsonSchema): number | undefined {
  const exclusive = schema.exclusiveMaximum;
  if (typeof exclusive === "number") return Math.ceil(exclusive) - 1;
  if (exclusive === true && schema.maximum !== undefined) return schema.maximum - 1;
  return schema.maximum === undefined ? undefined : Math.floor(schema.maximum);
}

function integer(schema: JsonSchema): string {
  const minimum = lowerBound(schema, true);
  const maximum = upperBound(schema);
  if (minimum !== undefined && maximum !== undefined && maximum >= minimum) {
    if (maximum - minimum < maximumEnumeratedIntegers) {
      const values = Array.from({ length: maximum - minimum + 1 }, (_, index) => gbnfLiteral(String(minimum + index)));
      return alternatives(values);
    }
  }
  if (minimum !== undefined && minimum >= 1) return "[1-9] [0-9]{0,14}";
  if (minimum !== undefined && minimum >= 0) return jsonPrimitives.naturalDigits();
  return `"-"? ${jsonPrimitives.naturalDigits()}`;
}

function number(schema: JsonSchema): string {
  const minimum = lowerBound(schema, false);
  const sign = minimum !== undefined && minimum >= 0 ? "" : '"-"? ';
  return `${sign}${jsonPrimitives.naturalDigits()} ( "." [0-9]{1,15} )?`;
}

/** `base` narrowed by `extra`: properties and required lists combine, other keywords from `extra` win. */
function merge(base: JsonSchemaDefinition, extra: JsonSchemaDefinition): JsonSchemaDefinition {
  if (typeof base === "boolean") return extra;
  if (typeof extra === "boolean") return extra ? base : extra;
  const merged: JsonSchema = { ...base, ...extra };
  if (base.properties || extra.properties) merged.properties = { ...base.properties, ...extra.properties };
  if (base.required || extra.required)
    merged.required = [...new Set([...(base.required ?? []), ...(extra.required ?? [])])];
  return merged;
}

function resolvePointer(root: JsonSchemaDefinition, pointer: string): JsonSchemaDefinition {
  if (pointer === "#") return root;
  if (!pointer.startsWith("#/")) return true;
  let current: unknown = root;
  for (const segment of pointer.slice(2).split("/")) {
    const key = decodeURIComponent(segment).replace(/~1/g, "/").replace(/~0/g, "~");
    current = current && typeof current === "object" ? (current as Record<string, unknown>)[key] : undefined;
  }
  // A reference that leads nowhere accepts any value; validation reports the problem if there is one.
  return (current as JsonSchemaDefinition | undefined) ?? true;
}
