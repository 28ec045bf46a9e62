import { type BfclCategory, bfclCategories } from "../bfcl/bfcl-task.ts";
import { loadBfclCategory } from "../datasets/bfcl.ts";
import { loadHumanEval } from "../datasets/humaneval.ts";
import { loadHumanEvalX } from "../datasets/humaneval-x.ts";
import { loadMultiplE } from "../datasets/multipl-e.ts";
import { EvalUsageError } from "../eval-errors.ts";
import type { EvalTask } from "./eval-task.ts";

export const suiteNames = ["humaneval", "humaneval-ts", "humaneval-js", "humaneval-x-js", "bfcl"] as const;
export type SuiteName = (typeof suiteNames)[number];

export const suiteDescriptions: Record<SuiteName, string> = {
  humaneval: "OpenAI HumanEval, Python, 164 tasks",
  "humaneval-ts": "MultiPL-E HumanEval in TypeScript, 159 tasks (type errors fail)",
  "humaneval-js": "MultiPL-E HumanEval in JavaScript, 161 tasks",
  "humaneval-x-js": "HumanEval-X JavaScript, 164 tasks with reference solutions",
  bfcl: "Berkeley Function Calling Leaderboard v4, non-live AST categories",
};

/** Suites whose dataset carries its own correct answers, which `--reference` scores. */
export const suitesWithReferences: ReadonlySet<SuiteName> = new Set(["humaneval", "humaneval-x-js", "bfcl"]);

export function parseSuiteName(name: string): SuiteName {
  if ((suiteNames as readonly string[]).includes(name)) return name as SuiteName;
  throw new EvalUsageError(`Unknown suite "${name}". Choose one of: ${suiteNames.join(", ")}.`);
}

export function parseBfclCategories(names: readonly string[] | undefined): BfclCategory[] {
  if (!names || names.length === 0) return [...bfclCategories];
  return names.map((name) => {
    if ((bfclCategories as readonly string[]).includes(name)) return name as BfclCategory;
    throw new EvalUsageError(`Unknown BFCL category "${name}". Choose from: ${bfclCategories.join(", ")}.`);
  });
}

export interface TaskSelection {
  /** The first n tasks; for bfcl, the first n of each category, so a short run still covers every category. */
  limit?: number;
  categories?: readonly BfclCategory[];
}

/** Loads a suite's tasks from the data folder and applies the selection. */
export async function loadSuite(
  suite: SuiteName,
  dataDirectory: string,
  selection: TaskSelection = {},
): Promise<EvalTask[]> {
  const first = <T>(tasks: T[]) => (selection.limit === undefined ? tasks : tasks.slice(0, selection.limit));
  switch (suite) {
    case "humaneval":
      return first(await loadHumanEval(dataDirectory));
    case "humaneval-ts":
      return first(await loadMultiplE(dataDirectory, "ts"));
    case "humaneval-js":
      return first(await loadMultiplE(dataDirectory, "js"));
    case "humaneval-x-js":
      return first(await loadHumanEvalX(dataDirectory));
    case "bfcl": {
      const tasks: EvalTask[] = [];
      for (const category of selection.categories ?? bfclCategories) {
        tasks.push(...first(await loadBfclCategory(dataDirectory, category)));
      }
      return tasks;
    }
  }
}
