import { type BfclCategory, type BfclTask, bfclCategories } from "../bfcl/bfcl-task.ts";
import { referenceToolCalls } from "../bfcl/reference-calls.ts";
import { scoreBfclTask } from "../bfcl/score-bfcl-task.ts";
import { toolsOf } from "../bfcl/tool-definitions.ts";
import { loadBfclCategory } from "../datasets/bfcl.ts";
import type { ScoredAnswer, SuiteAnswer, SuiteDefinition } from "./suite-definition.ts";

function scoreToolCalls(task: BfclTask, answer: SuiteAnswer): ScoredAnswer {
  const verdict = scoreBfclTask(task, answer.toolCalls);
  return { ...verdict, completion: JSON.stringify(answer.toolCalls) };
}

/** BFCL in function-calling mode: the task's functions are offered as tools, and the calls get BFCL's AST check. */
export const bfclSuite: SuiteDefinition<BfclTask> = {
  id: "bfcl",
  description: "Berkeley Function Calling Leaderboard v4, non-live AST categories",
  categories: bfclCategories,
  runsCode: false,
  usesTools: true,
  async load(dataDirectory, { categories }) {
    const tasks: BfclTask[] = [];
    for (const category of categories ?? bfclCategories) {
      tasks.push(...(await loadBfclCategory(dataDirectory, category as BfclCategory)));
    }
    return tasks;
  },
  prompt: (task) => ({
    prompt: task.messages.map((message) =>
      message.role === "system"
        ? { role: "system" as const, content: message.content }
        : { role: message.role, content: [{ type: "text" as const, text: message.content }] },
    ),
    tools: toolsOf(task),
    toolChoice: { type: "auto" },
  }),
  score: async (task, answer) => scoreToolCalls(task, answer),
  scoreReference: async (task) => scoreToolCalls(task, { text: "", toolCalls: referenceToolCalls(task) }),
};
