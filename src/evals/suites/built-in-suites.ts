import { bfclSuite } from "./bfcl.ts";
import { humanEvalSuite } from "./humaneval.ts";
import { humanEvalJavaScriptSuite } from "./humaneval-js.ts";
import { humanEvalTypeScriptSuite } from "./humaneval-ts.ts";
import { humanEvalXJavaScriptSuite } from "./humaneval-x-js.ts";
import type { SuiteDefinition } from "./suite-definition.ts";

/** The suites Tansuo ships, in the order `tansuo eval --help` lists them. */
export const builtInSuites: readonly SuiteDefinition[] = [
  humanEvalSuite,
  humanEvalTypeScriptSuite,
  humanEvalJavaScriptSuite,
  humanEvalXJavaScriptSuite,
  bfclSuite,
];
