import { type CheckResult, invalid, valid } from "./check-result.ts";
import { type PythonDict, type PythonValue, pythonIn, pythonRepr } from "./python-value.ts";

/** BFCL's standardize_string: no spaces or `,./-_*^`, lower case, single quotes as double. */
export const standardizeString = (text: string): string =>
  text
    .replace(/[ ,./\-_*^]/g, "")
    .toLowerCase()
    .replace(/'/g, '"');

const standardize = (value: PythonValue): PythonValue => (typeof value === "string" ? standardizeString(value) : value);

export function stringChecker(parameter: string, value: string, possibleAnswer: readonly PythonValue[]): CheckResult {
  const accepted = possibleAnswer
    .filter((answer): answer is string => typeof answer === "string")
    .map(standardizeString);
  if (accepted.includes(standardizeString(value))) return valid();
  return invalid(
    "value_error:string",
    `Invalid value for parameter '${parameter}': ${pythonRepr(value)}. Expected one of ${pythonRepr([...possibleAnswer])}. Case insensitive.`,
  );
}

// Python's len() and indexing over an accepted answer: a list's items, a string's characters.
const itemsOf = (answer: PythonValue): PythonValue[] | undefined =>
  Array.isArray(answer) ? answer : typeof answer === "string" ? [...answer] : undefined;

export function listChecker(
  parameter: string,
  value: PythonValue[],
  possibleAnswer: readonly PythonValue[],
): CheckResult {
  const standardized = value.map(standardize);
  const accepted = possibleAnswer.flatMap((answer) => {
    const items = itemsOf(answer);
    return items ? [items.map(standardize)] : [];
  });
  if (pythonIn(standardized, accepted)) return valid();
  return invalid(
    "value_error:list/tuple",
    `Invalid value for parameter '${parameter}': ${pythonRepr(value)}. Expected one of ${pythonRepr([...possibleAnswer])}.`,
  );
}

export function dictChecker(value: PythonDict, possibleAnswers: readonly PythonValue[]): CheckResult {
  let result: CheckResult = { valid: false, errors: [], errorType: "dict_checker:unclear" };
  for (const possibleAnswer of possibleAnswers) {
    if (possibleAnswer === "") continue;
    result = { valid: false, errors: [], errorType: "dict_checker:unclear" };
    if (!(possibleAnswer instanceof Map)) continue;
    let matches = true;
    for (const [key, item] of value) {
      const acceptedValues = possibleAnswer.get(key);
      if (acceptedValues === undefined) {
        result = invalid("value_error:dict_key", `Unexpected dict key parameter: '${key}'.`);
        matches = false;
        break;
      }
      const accepted = (itemsOf(acceptedValues) ?? []).map(standardize);
      if (!pythonIn(standardize(item), accepted)) {
        result = invalid(
          "value_error:dict_value",
          `Invalid value for parameter '${key}': ${pythonRepr(item)}. Expected one of ${pythonRepr(accepted)}.`,
        );
        matches = false;
        break;
      }
    }
    for (const [key, acceptedValues] of possibleAnswer) {
      if (!value.has(key) && !pythonIn("", itemsOf(acceptedValues) ?? [])) {
        result = invalid("value_error:dict_key", `Missing dict key parameter: '${key}'.`);
        matches = false;
        break;
      }
    }
    if (matches) return valid();
  }
  return result;
}

export function listDictChecker(value: PythonValue[], possibleAnswers: readonly PythonValue[]): CheckResult {
  let result: CheckResult = { valid: false, errors: [], errorType: "list_dict_checker:unclear" };
  for (const possibleAnswer of possibleAnswers) {
    const dictionaries = itemsOf(possibleAnswer) ?? [];
    if (value.length !== dictionaries.length) {
      result = invalid("value_error:list_dict_count", "Wrong number of dictionaries in the list.");
      continue;
    }
    let matches = true;
    for (const [index, item] of value.entries()) {
      result =
        item instanceof Map
          ? dictChecker(item, [dictionaries[index] as PythonValue])
          : invalid("value_error:dict_value", "Not a dictionary.");
      if (!result.valid) {
        matches = false;
        break;
      }
    }
    if (matches) return valid();
  }
  return result;
}
