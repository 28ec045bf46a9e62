/**
 * JSON values as Python's json module reads them, which BFCL's checker relies on: ints (bigint) and floats (number)
 * are different types, `5 == 5.0` and `True == 1` hold, and dicts keep their keys in order.
 */
export type PythonValue = null | boolean | bigint | number | string | PythonValue[] | PythonDict;
export type PythonDict = Map<string, PythonValue>;

export type PythonTypeName = "NoneType" | "bool" | "int" | "float" | "str" | "list" | "dict";

export function pythonType(value: PythonValue): PythonTypeName {
  if (value === null) return "NoneType";
  if (typeof value === "boolean") return "bool";
  if (typeof value === "bigint") return "int";
  if (typeof value === "number") return "float";
  if (typeof value === "string") return "str";
  return Array.isArray(value) ? "list" : "dict";
}

const numeric = (value: PythonValue): bigint | number | undefined => {
  if (typeof value === "boolean") return value ? 1n : 0n;
  return typeof value === "bigint" || typeof value === "number" ? value : undefined;
};

/** Python's `==`. */
export function pythonEquals(left: PythonValue, right: PythonValue): boolean {
  const leftNumber = numeric(left);
  const rightNumber = numeric(right);
  // biome-ignore lint/suspicious/noDoubleEquals: bigint == number compares the mathematical values, as Python does.
  if (leftNumber !== undefined && rightNumber !== undefined) return leftNumber == rightNumber;
  if (left === null || right === null || typeof left === "string" || typeof right === "string") return left === right;
  if (Array.isArray(left) || Array.isArray(right)) {
    if (!Array.isArray(left) || !Array.isArray(right) || left.length !== right.length) return false;
    return left.every((item, index) => pythonEquals(item, right[index] as PythonValue));
  }
  if (!(left instanceof Map) || !(right instanceof Map) || left.size !== right.size) return false;
  for (const [key, value] of left) {
    if (!right.has(key) || !pythonEquals(value, right.get(key) as PythonValue)) return false;
  }
  return true;
}

/** Python's `value in items`. */
export const pythonIn = (value: PythonValue, items: readonly PythonValue[]): boolean =>
  items.some((item) => pythonEquals(value, item));

/** Python's repr() of a float: shortest round-trip digits, and `.0` on whole numbers. */
export function pythonFloatText(value: number): string {
  if (Number.isNaN(value)) return "nan";
  if (!Number.isFinite(value)) return value > 0 ? "inf" : "-inf";
  const text = String(value);
  return /[.e]/.test(text) ? text : `${text}.0`;
}

/** Python's repr(), for error messages that read like BFCL's. */
export function pythonRepr(value: PythonValue): string {
  if (value === null) return "None";
  if (typeof value === "boolean") return value ? "True" : "False";
  if (typeof value === "bigint") return value.toString();
  if (typeof value === "number") return pythonFloatText(value);
  if (typeof value === "string") return `'${value.replace(/\\/g, "\\\\").replace(/'/g, "\\'")}'`;
  if (Array.isArray(value)) return `[${value.map(pythonRepr).join(", ")}]`;
  return `{${[...value].map(([key, item]) => `'${key}': ${pythonRepr(item)}`).join(", ")}}`;
}

/** Python's json.dumps(): floats keep their `.0`, so the value reads back as the same type. */
export function pythonJsonDumps(value: PythonValue): string {
  if (value === null) return "null";
  if (typeof value === "boolean") return value ? "true" : "false";
  if (typeof value === "bigint") return value.toString();
  if (typeof value === "number") {
    if (Number.isNaN(value)) return "NaN";
    if (!Number.isFinite(value)) return value > 0 ? "Infinity" : "-Infinity";
    return pythonFloatText(value);
  }
  if (typeof value === "string") return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map(pythonJsonDumps).join(", ")}]`;
  return `{${[...value].map(([key, item]) => `${JSON.stringify(key)}: ${pythonJsonDumps(item)}`).join(", ")}}`;
}

/** Turns an ordinary JavaScript value (from JSON.parse) into a Python value; whole numbers become ints. */
export function fromJavaScript(value: unknown): PythonValue {
  if (value === null || value === undefined) return null;
  if (typeof value === "boolean" || typeof value === "string") return value;
  if (typeof value === "number") return Number.isInteger(value) ? BigInt(value) : value;
  if (Array.isArray(value)) return value.map(fromJavaScript);
  return new Map(Object.entries(value as Record<string, unknown>).map(([key, item]) => [key, fromJavaScript(item)]));
}
