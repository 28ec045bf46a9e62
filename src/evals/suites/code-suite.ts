import { codePrompt } from "../code/code-prompt.ts";
import type { CodeTask } from "../code/code-task.ts";
import { scoreCodeAnswer, scoreCodeCompletion } from "../code/score-code-answer.ts";
import { EvalUsageError } from "../eval-errors.ts";
import type { SuiteDefinition } from "./suite-definition.ts";

interface CodeSuiteSpecification {
  id: string;
  description: string;
  load(dataDirectory: string): Promise<CodeTask[]>;
  /** The dataset carries a correct completion per task, which `--reference` scores. */
  hasReferences: boolean;
}

/** A suite of function-writing tasks: one user message asks for the code, which is extracted, run and judged. */
export function defineCodeSuite(specification: CodeSuiteSpecification): SuiteDefinition<CodeTask> {
  const suite: SuiteDefinition<CodeTask> = {
    id: specification.id,
    description: specification.description,
    runsCode: true,
    load: (dataDirectory) => specification.load(dataDirectory),
    prompt: (task) => ({ prompt: [{ role: "user", content: [{ type: "text", text: codePrompt(task) }] }] }),
    score: (task, answer, context) => scoreCodeAnswer(task, answer, context.harness),
  };
  if (!specification.hasReferences) return suite;
  return {
    ...suite,
    scoreReference: async (task, context) => {
      if (task.referenceCompletion === undefined) {
        throw new EvalUsageError(`Task ${task.id} carries no reference solution, so --reference cannot score it.`);
      }
      return scoreCodeCompletion(task, task.referenceCompletion, context.harness);
    },
  };
}
