import type { CheckResult } from "./check-result.ts";
import { type PythonTypeName, type PythonValue, pythonRepr, pythonType } from "./python-value.ts";

function possibleAnswerType(possibleAnswer: readonly PythonValue[]): PythonTypeName | undefined {
  const answer = possibleAnswer.find((candidate) => candidate !== "");
  return answer === undefined ? undefined : pythonType(answer);
}

export interface TypeCheck extends CheckResult {
  isVariable: boolean;
}

/** BFCL's type_checker; a value of the accepted answers' type instead of the declared one counts as a variable. */
export function typeChecker(
  parameter: string,
  value: PythonValue,
  possibleAnswer: readonly PythonValue[],
  expectedTypeDescription: string,
  expectedType: PythonTypeName,
  nestedType: PythonTypeName | undefined,
): TypeCheck {
  const result: TypeCheck = { valid: true, errors: [], isVariable: false, errorType: "type_error:simple" };
  const answerType = possibleAnswerType(possibleAnswer);
  const isVariable = answerType !== undefined && answerType !== expectedType;
  if (pythonType(value) === expectedType) {
    if (nestedType === undefined) return { ...result, isVariable };
    for (const possibleItem of possibleAnswer) {
      let matches = true;
      if (Array.isArray(possibleItem)) {
        for (const item of value as PythonValue[]) {
          if (!typeChecker(parameter, item, possibleItem, nestedType, nestedType, undefined).valid) {
            matches = false;
            break;
          }
        }
      }
      if (matches) return { valid: true, errors: [], isVariable };
    }
    result.valid = false;
    result.errors = [
      `Nested type checking failed for parameter '${parameter}'. Expected outer type ${expectedTypeDescription} with inner type ${nestedType}. Parameter value: ${pythonRepr(value)}.`,
    ];
    result.errorType = "type_error:nested";
  }
  if (answerType !== undefined && pythonType(value) === answerType) return { ...result, isVariable: true };
  result.valid = false;
  result.errors.push(
    `Incorrect type for parameter '${parameter}'. Expected type ${expectedTypeDescription}, got ${pythonType(value)}. Parameter value: ${pythonRepr(value)}.`,
  );
  result.errorType = "type_error:simple";
  return result;
}
