import type { LanguageModelV3FunctionTool } from "@ai-sdk/provider";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import { gbnfLiteral } from "../../../src/models/embedded/gbnf-rules.ts";
import { createEmbeddedModel, type EmbeddedLanguageModel } from "../../../src/models/embedded/index.ts";
import { tinyModelPath } from "../../support/tiny-model.ts";

// Strings and arrays are bounded because random weights never end an unbounded one.
const schemas: Record<string, Record<string, unknown>> = {
  "optional properties only": {
    type: "object",
    properties: { a: { type: "string", maxLength: 4 }, b: { type: "boolean" }, c: { type: "null" } },
  },
  "required after optional": {
    type: "object",
    properties: { first: { type: "boolean" }, second: { type: "integer", minimum: 0 }, third: { const: "x" } },
    required: ["third"],
    additionalProperties: false,
  },
  "enums, constants and small integer ranges": {
    type: "object",
    properties: {
      mode: { enum: ["fast", "slow", 3, null] },
      version: { const: 2 },
      level: { type: "integer", minimum: -2, maximum: 2 },
      ratio: { type: "number", minimum: 0 },
    },
    required: ["mode", "version", "level", "ratio"],
  },
  "nullable and union types": {
    type: "object",
    properties: {
      note: { anyOf: [{ type: "string", maxLength: 3 }, { type: "null" }] },
      count: { type: ["integer", "null"] },
      legacy: { type: "string", maxLength: 2, nullable: true },
    },
    required: ["note", "count", "legacy"],
  },
  "bounded arrays and tuples": {
    type: "object",
    properties: {
      tags: { type: "array", items: { enum: ["a", "b"] }, minItems: 1, maxItems: 3 },
      pair: { type: "array", prefixItems: [{ type: "integer", minimum: 1 }, { type: "boolean" }] },
    },
    required: ["tags", "pair"],
  },
  "nested objects through $ref to $defs": {
    type: "object",
    properties: { range: { $ref: "#/$defs/range" } },
    required: ["range"],
    $defs: {
      range: {
        type: "object",
        properties: { start: { type: "integer", minimum: 1 }, end: { type: "integer", minimum: 1 } },
        required: ["start", "end"],
      },
    },
  },
  "draft-07 definitions": {
    $schema: "http://json-schema.org/draft-07/schema#",
    type: "object",
    properties: { where: { $ref: "#/definitions/place" } },
    required: ["where"],
    definitions: {
      place: { type: "object", properties: { file: { type: "string", maxLength: 6 } }, required: ["file"] },
    },
  },
  "allOf merged": {
    allOf: [
      { type: "object", properties: { a: { type: "boolean" } }, required: ["a"] },
      { properties: { b: { type: "integer", minimum: 0, maximum: 5 } }, required: ["b"] },
    ],
  },
  "string lengths": {
    type: "object",
    properties: { code: { type: "string", minLength: 2, maxLength: 4 } },
    required: ["code"],
  },
};

// The optional properties of two schemas above: a grammar that made them required would never leave one out.
const optionalProperties: Record<string, string[]> = {
  "optional properties only": ["a", "b", "c"],
  "required after optional": ["first", "second"],
};

let model: EmbeddedLanguageModel;

/** The tool input the model writes for `schema` under each seed, parsed. */
async function inputsFor(schema: Record<string, unknown>, seeds: number[]) {
  const tool: LanguageModelV3FunctionTool = { type: "function", name: "act", inputSchema: schema };
  const inputs: Record<string, unknown>[] = [];
  for (const seed of seeds) {
    const result = await model.doGenerate({
      prompt: [{ role: "user", content: [{ type: "text", text: "Act now." }] }],
      tools: [tool],
      toolChoice: { type: "required" },
      maxOutputTokens: 400,
      temperature: 1,
      seed,
    });
    const call = result.content.find((part) => part.type === "tool-call");
    expect(call, JSON.stringify(result.content)).toBeDefined();
    inputs.push(JSON.parse(call?.type === "tool-call" ? call.input : "null"));
  }
  return inputs;
}

beforeAll(async () => {
  model = createEmbeddedModel({ modelPath: tinyModelPath, contextSize: 1024, gpu: false, threads: 1 });
  await model.load();
});

afterAll(async () => {
  await model.close();
});

describe("tool input grammar", () => {
  for (const [title, schema] of Object.entries(schemas)) {
    it(`makes a random-weights model write valid input: ${title}`, async () => {
      const validate = z.fromJSONSchema(schema as Parameters<typeof z.fromJSONSchema>[0]);
      for (const input of await inputsFor(schema, [1, 2, 3])) {
        const verdict = validate.safeParse(input);
        expect(verdict.success, `${JSON.stringify(input)}: ${verdict.error?.message}`).toBe(true);
      }
    });
  }

  for (const [title, optional] of Object.entries(optionalProperties)) {
    it(`lets the model leave optional properties out: ${title}`, async () => {
      const inputs = await inputsFor(schemas[title]!, [1, 2, 3]);
      const leftOut = inputs.filter((input) => optional.some((name) => !(name in input)));
      expect(leftOut.length, `every input had every optional property: ${JSON.stringify(inputs)}`).toBeGreaterThan(0);
    });
  }

  it("escapes GBNF literals", () => {
    expect(gbnfLiteral('a"b\\c\nd\u0001é')).toBe('"a\\"b\\\\c\\nd\\x01é"');
  });
});
