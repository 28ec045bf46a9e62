// The public surface of `tansuo eval`: suites, the runner, scoring pieces a test or tool may reuse, and reports.
export type { BfclCategory, BfclExpectedCall, BfclFunction, BfclTask } from "./bfcl/bfcl-task.ts";
export { bfclCategories } from "./bfcl/bfcl-task.ts";
export { referenceToolCalls } from "./bfcl/reference-calls.ts";
export { type BfclVerdict, scoreBfclTask, type ToolCallOutput } from "./bfcl/score-bfcl-task.ts";
export { toolNameOf, toolsOf } from "./bfcl/tool-definitions.ts";
export type { CodeLanguage, CodeTask } from "./code/code-task.ts";
export { type Extraction, extractCode } from "./code/extract-code.ts";
export { scoreCodeAnswer, scoreCodeCompletion } from "./code/score-code-answer.ts";
export { type CodeHarness, type CodeVerdict, scoreCodeTask } from "./code/score-code-task.ts";
export { TypeScriptChecker } from "./code/typescript-checker.ts";
export type { ComparedModel, Comparison } from "./compare/comparison.ts";
export { modelFolderName } from "./compare/model-folder-name.ts";
export { type ComparisonFiles, writeComparison } from "./compare/write-comparison.ts";
export { DatasetError, EvalUsageError, HarnessEnvironmentError, ModelUnavailableError } from "./eval-errors.ts";
export { passAtK } from "./metrics/pass-at-k.ts";
export { percentile } from "./metrics/percentile.ts";
export { formatProgressLine } from "./progress/format-progress.ts";
export { createProgressReporter, type ProgressReporter } from "./progress/progress-reporter.ts";
export type { ProgressState } from "./progress/progress-state.ts";
export { type CollectedRun, collectRuns } from "./report/collect-runs.ts";
export { formatEvalSummary } from "./report/format-summary.ts";
export { type ChartPoint, renderPassRateCostChart } from "./report/pass-rate-cost-chart.ts";
export { renderReport } from "./report/report-markdown.ts";
export { type EvalOptions, type EvalRun, referenceModelId, runEval } from "./run/run-eval.ts";
export type { SampleResult } from "./run/sample-result.ts";
export { type EvalSummary, summarize } from "./run/summarize.ts";
export { type Isolation, type IsolationLevel, isolation } from "./sandbox/isolation.ts";
export { runInSandbox, type SandboxRequest, type SandboxResult } from "./sandbox/run-in-sandbox.ts";
export { bfclSuite } from "./suites/bfcl.ts";
export { defineCodeSuite } from "./suites/code-suite.ts";
export { parseCategories } from "./suites/select-tasks.ts";
export type {
  ScoreContext,
  ScoredAnswer,
  SuiteAnswer,
  SuiteDefinition,
  SuitePrompt,
  SuiteTask,
} from "./suites/suite-definition.ts";
export { findSuite, registeredSuites, registerSuite } from "./suites/suite-registry.ts";
