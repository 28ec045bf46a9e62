import { GbnfRules, gbnfLiteral, jsonPrimitives } from "./gbnf-rules.ts";
import type { JsonSchemaDefinition } from "./json-schema.ts";
import { jsonSchemaToGbnf } from "./json-schema-to-gbnf.ts";
import type { NativeCallSyntax } from "./native-call-syntax.ts";

/** A tool as the embedded provider sees it: a name, what it is for, and the JSON Schema of its input. */
export interface ToolSpec {
  name: string;
  description?: string;
  inputSchema: JsonSchemaDefinition;
}

/** What the answer may be: free text, JSON (optionally under a schema), or tool calls with or without a text alternative. */
export type AnswerShape =
  | { kind: "text" }
  | { kind: "json"; schema: JsonSchemaDefinition | undefined }
  | { kind: "tools"; tools: ToolSpec[]; mustCall: boolean };

// A few leading blanks are allowed because many tokenizers start an answer with a space or newline.
const leadingBlanks = "[ \\t\\n]{0,4}";
// A random or looping model could otherwise write calls until the context is full.
const maximumCallsPerTurn = 8;

/** The GBNF grammar that constrains a text or JSON answer, or undefined for free text. */
export function answerGrammar(shape: AnswerShape): string | undefined {
  if (shape.kind !== "json") return undefined;
  const rules = new GbnfRules();
  const value =
    shape.schema === undefined ? jsonPrimitives.value(rules) : jsonSchemaToGbnf(rules, shape.schema, "answer");
  return rules.render(`${leadingBlanks} ${value}`);
}

/**
 * The GBNF grammar of one turn's tool calls in the wrapper's native syntax, each call's arguments under its
 * tool's schema. With `afterOpener` it starts where the opener (e.g. `<tool_call>\n{"name": "`) ends, because
 * the model already wrote it while generating freely.
 */
export function nativeCallsGrammar(tools: ToolSpec[], syntax: NativeCallSyntax, afterOpener: boolean): string {
  const rules = new GbnfRules();
  const whitespace = jsonPrimitives.whitespace(rules);
  const named = tools.map((tool, index) =>
    rules.define(`call-${index}`, () => {
      const input = jsonSchemaToGbnf(rules, tool.inputSchema, `tool-${index}`);
      return [
        gbnfLiteral(tool.name),
        gbnfLiteral(syntax.paramsPrefix(tool.name)),
        input,
        whitespace,
        gbnfLiteral(syntax.suffix(tool.name)),
      ]
        .filter((part) => part !== '""')
        .join(" ");
    }),
  );
  const call = rules.define("call", () => named.join(" | "));
  const more =
    syntax.between === undefined ? "" : ` ( ${gbnfLiteral(syntax.between)} call ){0,${maximumCallsPerTurn - 1}}`;
  const opener = afterOpener || syntax.opener === "" ? "" : `${gbnfLiteral(syntax.opener)} `;
  const sectionSuffix = syntax.sectionSuffix === "" ? "" : ` ${gbnfLiteral(syntax.sectionSuffix)}`;
  return rules.render(`${opener}${call}${more}${sectionSuffix}`);
}
