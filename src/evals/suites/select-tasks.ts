import { EvalUsageError } from "../eval-errors.ts";
import type { SuiteDefinition, SuiteTask } from "./suite-definition.ts";
import { registeredSuites } from "./suite-registry.ts";

const namesOf = (suites: readonly SuiteDefinition[], noun: string) =>
  suites.length === 1 ? `the ${suites[0]?.id} ${noun}` : `the ${suites.map((suite) => suite.id).join(", ")} ${noun}s`;

/** Checks `--category` names against the suite's own; none given means every category. */
export function parseCategories(suite: SuiteDefinition, names: readonly string[] | undefined): string[] | undefined {
  if (!names || names.length === 0) return undefined;
  const known = suite.categories;
  if (!known) {
    const split = registeredSuites().filter((candidate) => candidate.categories);
    throw new EvalUsageError(`--category applies to ${namesOf(split, "suite")} only; ${suite.id} has no categories.`);
  }
  return names.map((name) => {
    if (known.includes(name)) return name;
    throw new EvalUsageError(`Unknown ${suite.id} category "${name}". Choose from: ${known.join(", ")}.`);
  });
}

/** Refuses `--reference` for a suite whose dataset carries no correct answers, naming the suites that do. */
export function checkReferences(suite: SuiteDefinition): void {
  if (suite.scoreReference) return;
  const withReferences = registeredSuites().filter((candidate) => candidate.scoreReference);
  throw new EvalUsageError(
    `${suite.id} carries no reference solutions, so --reference cannot score it. ` +
      `Suites with references: ${withReferences.map((candidate) => candidate.id).join(", ")}.`,
  );
}

/** The first `limit` tasks of each category (or of the suite, when it has none), so a short run covers them all. */
export function firstTasks<Task extends SuiteTask>(tasks: readonly Task[], limit: number | undefined): Task[] {
  if (limit === undefined) return [...tasks];
  const taken = new Map<string | undefined, number>();
  return tasks.filter((task) => {
    const count = taken.get(task.category) ?? 0;
    taken.set(task.category, count + 1);
    return count < limit;
  });
}
