import { loadMultiplE } from "../datasets/multipl-e.ts";
import { defineCodeSuite } from "./code-suite.ts";

export const humanEvalJavaScriptSuite = defineCodeSuite({
  id: "humaneval-js",
  description: "MultiPL-E HumanEval in JavaScript, 161 tasks",
  load: (dataDirectory) => loadMultiplE(dataDirectory, "js"),
  hasReferences: false,
});
