import { EvalUsageError } from "../eval-errors.ts";
import { builtInSuites } from "./built-in-suites.ts";
import type { SuiteDefinition, SuiteTask } from "./suite-definition.ts";

const suites = new Map<string, SuiteDefinition>(builtInSuites.map((suite) => [suite.id, suite]));

/** Makes a suite known by its id, to `findSuite` and so to `tansuo eval <id>`; an id already taken is refused. */
export function registerSuite<Task extends SuiteTask>(suite: SuiteDefinition<Task>): void {
  if (!/^[a-z0-9][a-z0-9._-]*$/.test(suite.id)) {
    throw new EvalUsageError(
      `Suite id "${suite.id}" is not usable on the command line: use lower-case letters, digits, ".", "_" and "-".`,
    );
  }
  const existing = suites.get(suite.id);
  if (existing && existing !== suite) {
    throw new EvalUsageError(`A suite "${suite.id}" is already registered; choose another id for yours.`);
  }
  suites.set(suite.id, suite);
}

/** Every registered suite: the built-in ones first, then the ones registered, in that order. */
export function registeredSuites(): SuiteDefinition[] {
  return [...suites.values()];
}

/** The suite of this id, or an error that lists the registered ones. */
export function findSuite(id: string): SuiteDefinition {
  const suite = suites.get(id);
  if (suite) return suite;
  throw new EvalUsageError(`Unknown suite "${id}". Choose one of: ${[...suites.keys()].join(", ")}.`);
}
