import type { LanguageModelV3CallOptions } from "@ai-sdk/provider";
import type { CodeHarness } from "../code/score-code-task.ts";

/** What every suite's task has: an id unique in the suite, and a category when the suite is split into some. */
export interface SuiteTask {
  id: string;
  category?: string;
}

/** A model's answer as a suite scores it: the text, and the tool calls with their arguments as JSON text. */
export interface SuiteAnswer {
  text: string;
  toolCalls: Array<{ toolName: string; input: string }>;
}

/** What a task asks of the model: the messages and, for function calling, the tools offered. */
export type SuitePrompt = Pick<LanguageModelV3CallOptions, "prompt" | "tools" | "toolChoice">;

/** The verdict on one answer, as results.jsonl records it. */
export interface ScoredAnswer {
  passed: boolean;
  error: string | null;
  errorType: string | null;
  /** What was judged (the code that ran, the tool calls as JSON); null when the answer held nothing to judge. */
  completion: string | null;
}

/** What the runner lends a suite for scoring: the sandbox limits and the TypeScript checker. */
export interface ScoreContext {
  harness: CodeHarness;
}

/**
 * One benchmark: how to load its tasks, ask the model, and judge an answer. A new suite is one value of this
 * type, handed to `runEval({ suite })` or to `registerSuite` so that `tansuo eval <id>` finds it.
 */
export interface SuiteDefinition<Task extends SuiteTask = SuiteTask> {
  /** The name on the command line and in results.jsonl, e.g. `humaneval`. */
  id: string;
  /** One line for `tansuo eval --help`. */
  description: string;
  /** Categories `--category` may pick; leave out when the suite has none. All are loaded by default. */
  categories?: readonly string[];
  /** The suite runs generated code, so the run reports how the sandbox isolated it. */
  runsCode: boolean;
  /** The suite offers the model tools (the CLI notes a model the catalog does not list as calling tools). */
  usesTools?: boolean;
  /** Every task in the data folder, of the chosen categories only (all when `categories` is undefined). */
  load(dataDirectory: string, options: { categories?: readonly string[] }): Promise<Task[]>;
  prompt(task: Task): SuitePrompt;
  score(task: Task, answer: SuiteAnswer, context: ScoreContext): Promise<ScoredAnswer>;
  /** Scores the dataset's own correct answer (`--reference`, a check of the harness); absent when it has none. */
  scoreReference?(task: Task, context: ScoreContext): Promise<ScoredAnswer>;
}
