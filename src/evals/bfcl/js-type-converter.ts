import { TansuoError } from "../../errors/tansuo-error.ts";
import type { PythonDict, PythonValue } from "./python-value.ts";

/** BFCL's JS_TYPE_CONVERSION: the Python type each JavaScript parameter type is checked as. */
export const javaScriptTypeConversion: Record<string, "str" | "int" | "float" | "bool" | "dict" | "list"> = {
  String: "str",
  integer: "int",
  float: "float",
  Bigint: "int",
  Boolean: "bool",
  dict: "dict",
  array: "list",
  any: "str",
};

class UnsupportedTypeError extends TansuoError {
  override readonly name = "UnsupportedTypeError";
  readonly kind = "internal";
}

const stripCharacters = (text: string, characters: string) => {
  let start = 0;
  let end = text.length;
  while (start < end && characters.includes(text[start] as string)) start++;
  while (end > start && characters.includes(text[end - 1] as string)) end--;
  return text.slice(start, end);
};

const isQuoted = (text: string) =>
  text.length >= 1 && ((text.startsWith('"') && text.endsWith('"')) || (text.startsWith("'") && text.endsWith("'")));

// Python's int() and float() on a string: signs, digit underscores, exponents, inf and nan.
const pythonInt = /^[+-]?\d(?:_?\d)*$/;
const pythonFloat =
  /^[+-]?(?:(?:\d(?:_?\d)*)?\.?\d(?:_?\d)*(?:[eE][+-]?\d(?:_?\d)*)?|\d(?:_?\d)*\.(?:[eE][+-]?\d(?:_?\d)*)?|inf(?:inity)?|nan)$/i;

function pythonFloatOf(text: string): number {
  const lower = text.toLowerCase().replace(/_/g, "");
  if (lower.endsWith("nan")) return Number.NaN;
  if (lower.endsWith("inf") || lower.endsWith("infinity")) return lower.startsWith("-") ? -Infinity : Infinity;
  return Number(lower);
}

/** BFCL's parse_js_value. */
export function parseJavaScriptValue(valueText: string): PythonValue {
  const value = valueText.trim();
  if (value === "true") return true;
  if (value === "false") return false;
  if (isQuoted(value)) return value.slice(1, -1);
  if (pythonInt.test(value)) return BigInt(value.replace(/_/g, ""));
  if (pythonFloat.test(value)) return pythonFloatOf(value);
  return value;
}

// Python's re.match anchors at the start only; `$` also matches before a final newline.
const array2dPattern = /^(?:\[\s*\[.*?\]\s*(,\s*\[.*?\]\s*)*\]|\bnew\s+Array\(\s*\[.*?\]\s*(,\s*\[.*?\]\s*)*\))/;
const arrayPattern = /^(?:\[(.*?)\]|\bnew\s+Array\((.*?)\))/;
const dictPattern = /^\{(.*?)\}/;
const pairPattern = /([^:]+):\s*(.*?)(?:,\s*(?=[^,]+:)|$)/g;

function parseArray(code: string, nestedType: string | undefined): PythonValue {
  const twoDimensional = array2dPattern.exec(code);
  if (twoDimensional) {
    const innerArrays = [...twoDimensional[0].matchAll(/\[(.*?)\]/g)].map((match) => match[1] ?? "");
    return innerArrays.map((inner, index) => {
      let text = inner.trim();
      if (index === 0 && text.startsWith("[")) text = text.slice(1);
      return text.split(",").map((element) => parseJavaScriptValue(element.trim()));
    });
  }
  const match = arrayPattern.exec(code);
  if (!match) return code;
  const body = (match[1] ?? match[2] ?? "").trim();
  const elements = body ? body.split(",") : [];
  if (!nestedType) return elements.map((element) => parseJavaScriptValue(element.trim()));
  return elements.map((element) => {
    const text = element.trim();
    return text.startsWith("'") || text.startsWith('"')
      ? convertJavaScriptValue(text, nestedType, "String")
      : convertJavaScriptValue(text, nestedType);
  });
}

function parseDict(code: string): PythonValue {
  if (code === "{}") return new Map();
  const match = dictPattern.exec(code);
  if (!match) return code;
  const dictionary: PythonDict = new Map();
  for (const pair of (match[1] ?? "").matchAll(pairPattern)) {
    const key = stripCharacters((pair[1] ?? "").trim(), "'\"");
    const value = (pair[2] ?? "").trim();
    if (value.startsWith("[") && value.endsWith("]")) dictionary.set(key, parseCollection(value, "array"));
    else if (value.startsWith("{") && value.endsWith("}")) dictionary.set(key, parseCollection(value, "dict"));
    else dictionary.set(key, parseJavaScriptValue(stripCharacters(value, "'\"")));
  }
  return dictionary;
}

/** BFCL's parse_js_collection: regular expressions, not a parser; whatever it cannot read stays a string. */
function parseCollection(codeText: string, kind: "array" | "dict", nestedType?: string): PythonValue {
  const code = codeText.trim();
  try {
    return kind === "array" ? parseArray(code, nestedType) : parseDict(code);
  } catch {
    return code;
  }
}

/** BFCL's js_type_converter: a JavaScript source string to the value it stands for, or the string itself. */
export function convertJavaScriptValue(value: string, expectedType: string, nestedType?: string): PythonValue {
  switch (expectedType) {
    case "String":
      return isQuoted(value) ? value.slice(1, -1) : value;
    case "integer":
      return /^-?\d+\n?$/.test(value) ? BigInt(value.trim()) : value;
    case "float":
      return /^-?\d+(\.\d+)?\n?$/.test(value) ? Number(value.trim()) : value;
    case "Bigint":
      return /^-?\d+n\n?$/.test(value) ? BigInt(value.trim().slice(0, -1)) : value;
    case "Boolean":
      return value === "true" || value === "false" ? value === "true" : value;
    case "dict":
      return parseCollection(value, "dict", nestedType);
    case "array":
      return parseCollection(value, "array", nestedType);
    case "any":
      return value;
    default:
      throw new UnsupportedTypeError(`Unsupported type: ${expectedType}`);
  }
}
