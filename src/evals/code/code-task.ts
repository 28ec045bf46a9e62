export type CodeLanguage = "python" | "typescript" | "javascript";

/**
 * How a finished program is judged, as each reference harness does:
 * `exit-zero` (HumanEval, MultiPL-E), or `exit-zero-and-silent` (HumanEval-X, whose tests use console.assert).
 */
export type PassCriterion = "exit-zero" | "exit-zero-and-silent";

/** One function-writing task: the model continues `prompt`; `test` is appended and run. */
export interface CodeTask {
  kind: "code";
  id: string;
  language: CodeLanguage;
  prompt: string;
  /** The function the tests call. */
  entryPoint: string;
  test: string;
  passCriterion: PassCriterion;
  /** The dataset's own correct completion, when it carries one. */
  referenceCompletion?: string;
  /** The reference harness's time limit for running the program. */
  timeoutMs: number;
  /** npm packages the reference environment installs (HumanEval-X: js-md5 for task 162). */
  packages?: string[];
}
