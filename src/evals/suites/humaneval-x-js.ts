import { loadHumanEvalX } from "../datasets/humaneval-x.ts";
import { defineCodeSuite } from "./code-suite.ts";

export const humanEvalXJavaScriptSuite = defineCodeSuite({
  id: "humaneval-x-js",
  description: "HumanEval-X JavaScript, 164 tasks with reference solutions",
  load: loadHumanEvalX,
  hasReferences: true,
});
