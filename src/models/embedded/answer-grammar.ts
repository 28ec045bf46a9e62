import { GbnfRules, gbnfLiteral, jsonPrimitives } from "./gbnf-rules.ts";
import type { JsonSchemaDefinition } from "./json-schema.ts";
import { jsonSchemaToGbnf } from "./json-schema-to-gbnf.ts";

/** A tool as the embedded provider sees it: a name, what it is for, and the JSON Schema of its input. */
export interface ToolSpec {
  name: string;
  description?: string;
  inputSchema: JsonSchemaDefinition;
}

/** What the answer may be: free text, JSON (optionally under a schema), or a tool call with or without a text alternative. */
export type AnswerShape =
  | { kind: "text" }
  | { kind: "json"; schema: JsonSchemaDefinition | undefined }
  | { kind: "tools"; tools: ToolSpec[]; mustCall: boolean };

// A few leading blanks are allowed because many tokenizers start an answer with a space or newline.
const leadingBlanks = "[ \\t\\n]{0,4}";

/** The GBNF grammar that constrains an answer of this shape, or undefined for free text. */
export function answerGrammar(shape: AnswerShape): string | undefined {
  if (shape.kind === "text") return undefined;
  const rules = new GbnfRules();
  if (shape.kind === "json") {
    const value =
      shape.schema === undefined ? jsonPrimitives.value(rules) : jsonSchemaToGbnf(rules, shape.schema, "answer");
    return rules.render(`${leadingBlanks} ${value}`);
  }
  const whitespace = jsonPrimitives.whitespace(rules);
  const calls = shape.tools.map((tool, index) =>
    rules.define(`call-${index}`, () => {
      const input = jsonSchemaToGbnf(rules, tool.inputSchema, `tool-${index}`);
      return (
        `"{" ${whitespace} "\\"name\\"" ${whitespace} ":" ${whitespace} ${gbnfLiteral(JSON.stringify(tool.name))} ` +
        `${whitespace} "," ${whitespace} "\\"arguments\\"" ${whitespace} ":" ${whitespace} ${input} ${whitespace} "}"`
      );
    }),
  );
  // Text may not start with "{", so the first character tells a call from an answer.
  const choices = shape.mustCall ? calls : [...calls, rules.define("text", () => "[^{ \\t\\n\\r\\x00] [^\\x00]*")];
  return rules.render(`${leadingBlanks} ( ${choices.join(" | ")} )`);
}
