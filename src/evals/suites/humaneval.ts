import { loadHumanEval } from "../datasets/humaneval.ts";
import { defineCodeSuite } from "./code-suite.ts";

export const humanEvalSuite = defineCodeSuite({
  id: "humaneval",
  description: "OpenAI HumanEval, Python, 164 tasks",
  load: loadHumanEval,
  hasReferences: true,
});
