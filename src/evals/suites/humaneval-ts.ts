import { loadMultiplE } from "../datasets/multipl-e.ts";
import { defineCodeSuite } from "./code-suite.ts";

export const humanEvalTypeScriptSuite = defineCodeSuite({
  id: "humaneval-ts",
  description: "MultiPL-E HumanEval in TypeScript, 159 tasks (type errors fail)",
  load: (dataDirectory) => loadMultiplE(dataDirectory, "ts"),
  hasReferences: false,
});
