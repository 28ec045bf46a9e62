import type { BfclCategory, BfclExpectedCall, BfclFunction } from "./bfcl-task.ts";
import { type CheckResult, invalid, valid } from "./check-result.ts";
import { convertJavaScriptValue, javaScriptTypeConversion } from "./js-type-converter.ts";
import {
  type PythonDict,
  type PythonTypeName,
  type PythonValue,
  pythonIn,
  pythonRepr,
  pythonType,
} from "./python-value.ts";
import { isJavaScriptCategory, toolNameOf } from "./tool-definitions.ts";
import { typeChecker } from "./type-checker.ts";
import { dictChecker, listChecker, listDictChecker, stringChecker } from "./value-checkers.ts";

/** One call from the model: the tool name it used and its arguments. */
export interface ModelCall {
  name: string;
  arguments: PythonDict;
}

export type { CheckResult };

// BFCL's PYTHON_TYPE_MAPPING; `tuple` is checked as a list because JSON has no tuples.
const pythonTypeMapping: Record<string, PythonTypeName> = {
  string: "str",
  integer: "int",
  float: "float",
  boolean: "bool",
  array: "list",
  tuple: "list",
  dict: "dict",
  any: "str",
};
const pythonNestedTypes = new Set(["array", "tuple"]);
const javaScriptNestedTypes = new Set(["Array", "ArrayList", "array"]);

/** BFCL's simple_function_checker: one call against one expected call. */
function simpleFunctionChecker(
  description: BfclFunction,
  call: ModelCall,
  expected: BfclExpectedCall,
  javaScript: boolean,
): CheckResult {
  const possibleAnswer = expected.parameters;
  const parameterDetails = description.parameters.properties;
  const functionName = toolNameOf(description.name);
  if (call.name !== functionName) {
    return invalid(
      "simple_function_checker:wrong_func_name",
      `Function name '${functionName}' not found in model output.`,
    );
  }
  const modelParameters = call.arguments;
  for (const parameter of description.parameters.required ?? []) {
    if (!modelParameters.has(parameter)) {
      return invalid("simple_function_checker:missing_required", `Missing required parameter: '${parameter}'.`);
    }
  }
  for (const [parameter, rawValue] of modelParameters) {
    const details = parameterDetails[parameter];
    const accepted = possibleAnswer.get(parameter);
    if (!details || !accepted) {
      return invalid("simple_function_checker:unexpected_param", `Unexpected parameter: '${parameter}'.`);
    }
    const typeDescription = details.type ?? "any";
    let value = rawValue;
    let expectedType: PythonTypeName | undefined;
    let nestedType: PythonTypeName | undefined;
    if (javaScript) {
      expectedType = javaScriptTypeConversion[typeDescription];
      if (typeof value !== "string") {
        return invalid(
          "type_error:js",
          `Incorrect type for parameter '${parameter}'. Expected type String, got ${pythonType(value)}. Parameter value: ${pythonRepr(value)}.`,
        );
      }
      if (javaScriptNestedTypes.has(typeDescription)) {
        const itemType = details.items?.type ?? "any";
        nestedType = javaScriptTypeConversion[itemType];
        value = convertJavaScriptValue(value, typeDescription, itemType);
      } else if (expectedType) {
        value = convertJavaScriptValue(value, typeDescription);
      }
    } else {
      expectedType = pythonTypeMapping[typeDescription];
      if (pythonNestedTypes.has(typeDescription)) nestedType = pythonTypeMapping[details.items?.type ?? "any"];
    }
    if (!expectedType) {
      return invalid(
        "type_error:unsupported",
        `Parameter '${parameter}' has a type BFCL does not check: ${typeDescription}.`,
      );
    }
    // Python converts an int where a float is declared.
    if (!javaScript && typeDescription === "float" && typeof value === "bigint") value = Number(value);
    const typeCheck = typeChecker(parameter, value, accepted, typeDescription, expectedType, nestedType);
    if (!typeCheck.valid) return typeCheck;
    if (!typeCheck.isVariable) {
      let special: CheckResult | undefined;
      if (expectedType === "dict") special = dictChecker(value as PythonDict, accepted);
      else if (expectedType === "list" && nestedType === "dict")
        special = listDictChecker(value as PythonValue[], accepted);
      else if (expectedType === "str") special = stringChecker(parameter, value as string, accepted);
      else if (expectedType === "list") special = listChecker(parameter, value as PythonValue[], accepted);
      if (special) {
        if (!special.valid) return special;
        continue;
      }
    }
    if (!pythonIn(value, accepted)) {
      return invalid(
        "value_error:others",
        `Invalid value for parameter '${parameter}': ${pythonRepr(value)}. Expected one of ${pythonRepr(accepted)}.`,
      );
    }
  }
  for (const [parameter, accepted] of possibleAnswer) {
    if (!modelParameters.has(parameter) && !pythonIn("", accepted)) {
      return invalid(
        "simple_function_checker:missing_optional",
        `Optional parameter '${parameter}' not provided and not marked as optional.`,
      );
    }
  }
  return valid();
}

const descriptionOf = (functions: readonly BfclFunction[], name: string) =>
  functions.find((candidate) => candidate.name === name);

function checkAgainst(
  functions: readonly BfclFunction[],
  call: ModelCall,
  expected: BfclExpectedCall,
  javaScript: boolean,
) {
  const description = descriptionOf(functions, expected.name);
  if (!description)
    return invalid("ground_truth:unknown_function", `The answer key names an unknown function ${expected.name}.`);
  return simpleFunctionChecker(description, call, expected, javaScript);
}

/** BFCL's parallel_function_checker_no_order: each expected call must match a distinct model call, in any order. */
function parallelChecker(
  functions: readonly BfclFunction[],
  calls: readonly ModelCall[],
  expectedCalls: readonly BfclExpectedCall[],
  javaScript: boolean,
): CheckResult {
  if (calls.length !== expectedCalls.length) {
    return invalid("parallel_function_checker_no_order:wrong_count", "Wrong number of functions.");
  }
  const matched = new Set<number>();
  for (const [expectedIndex, expected] of expectedCalls.entries()) {
    const errors: string[] = [];
    let found = false;
    for (const [index, call] of calls.entries()) {
      if (matched.has(index)) continue;
      const result = checkAgainst(functions, call, expected, javaScript);
      if (result.valid) {
        matched.add(index);
        found = true;
        break;
      }
      errors.push(`Model call ${index}: ${result.errors.join(" ")}`);
    }
    if (!found) {
      return {
        valid: false,
        errors: [
          `Could not find a matching function call for expected call ${expectedIndex} (${expected.name}).`,
          ...errors,
        ],
        errorType: "parallel_function_checker_no_order:cannot_find_match",
      };
    }
  }
  return valid();
}

/** BFCL's ast_checker for one answer: which check applies follows the category's name, as in BFCL. */
export function checkFunctionCalls(
  category: BfclCategory,
  functions: readonly BfclFunction[],
  calls: readonly ModelCall[],
  expectedCalls: readonly BfclExpectedCall[],
): CheckResult {
  const javaScript = isJavaScriptCategory(category);
  if (category.includes("parallel")) return parallelChecker(functions, calls, expectedCalls, javaScript);
  const [call] = calls;
  const [expected] = expectedCalls;
  if (calls.length !== expectedCalls.length || !call || !expected) {
    const checker = category.includes("multiple") ? "multiple_function_checker" : "simple_function_checker";
    return invalid(`${checker}:wrong_count`, "Wrong number of functions.");
  }
  return checkAgainst(functions, call, expected, javaScript);
}
