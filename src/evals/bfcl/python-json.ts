import { TansuoError } from "../../errors/tansuo-error.ts";
import type { PythonDict, PythonValue } from "./python-value.ts";

/** A text that is not JSON as Python's json.loads reads it. */
export class PythonJsonSyntaxError extends TansuoError {
  override readonly name = "PythonJsonSyntaxError";
  readonly kind = "model";
}

const numberPattern = /-?(?:0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?/y;
const whitespace = /[ \t\n\r]*/y;

/** json.loads(): numbers written with a fraction or exponent are floats, others ints; NaN/Infinity accepted. */
export function parsePythonJson(text: string): PythonValue {
  let position = 0;

  const fail = (what: string): never => {
    throw new PythonJsonSyntaxError(`${what} at character ${position}`);
  };
  const skipWhitespace = () => {
    whitespace.lastIndex = position;
    whitespace.exec(text);
    position = whitespace.lastIndex;
  };
  const expect = (literal: string) => {
    if (!text.startsWith(literal, position)) fail(`expected ${literal}`);
    position += literal.length;
  };

  const parseString = (): string => {
    const start = position;
    position++;
    for (;;) {
      const character = text[position];
      if (character === undefined) fail("unterminated string");
      if (character === "\\") position += 2;
      else if (character === '"') break;
      else position++;
    }
    position++;
    try {
      return JSON.parse(text.slice(start, position)) as string;
    } catch {
      return fail("invalid string");
    }
  };

  const parseNumber = (): PythonValue => {
    numberPattern.lastIndex = position;
    const match = numberPattern.exec(text);
    if (!match) return fail("unexpected character");
    position = numberPattern.lastIndex;
    const [literal, fraction, exponent] = match;
    return fraction === undefined && exponent === undefined ? BigInt(literal) : Number(literal);
  };

  const parseValue = (): PythonValue => {
    skipWhitespace();
    const character = text[position];
    if (character === "{") {
      position++;
      const dict: PythonDict = new Map();
      skipWhitespace();
      if (text[position] === "}") {
        position++;
        return dict;
      }
      for (;;) {
        skipWhitespace();
        if (text[position] !== '"') fail("expected a string key");
        const key = parseString();
        skipWhitespace();
        expect(":");
        dict.set(key, parseValue());
        skipWhitespace();
        if (text[position] === ",") position++;
        else if (text[position] === "}") {
          position++;
          return dict;
        } else fail("expected , or }");
      }
    }
    if (character === "[") {
      position++;
      const list: PythonValue[] = [];
      skipWhitespace();
      if (text[position] === "]") {
        position++;
        return list;
      }
      for (;;) {
        list.push(parseValue());
        skipWhitespace();
        if (text[position] === ",") position++;
        else if (text[position] === "]") {
          position++;
          return list;
        } else fail("expected , or ]");
      }
    }
    if (character === '"') return parseString();
    for (const [literal, value] of [
      ["true", true],
      ["false", false],
      ["null", null],
      ["NaN", Number.NaN],
      ["Infinity", Number.POSITIVE_INFINITY],
      ["-Infinity", Number.NEGATIVE_INFINITY],
    ] as const) {
      if (text.startsWith(literal, position)) {
        position += literal.length;
        return value;
      }
    }
    return parseNumber();
  };

  const value = parseValue();
  skipWhitespace();
  if (position !== text.length) fail("extra data");
  return value;
}
