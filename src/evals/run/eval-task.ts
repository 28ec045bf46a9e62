import type { BfclTask } from "../bfcl/bfcl-task.ts";
import type { CodeTask } from "../code/code-task.ts";

/** A task of any suite: code to write and run, or functions to call. */
export type EvalTask = CodeTask | BfclTask;

export const taskCategory = (task: EvalTask): string | undefined => (task.kind === "bfcl" ? task.category : undefined);
