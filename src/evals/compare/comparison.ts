import type { CollectedRun } from "../report/collect-runs.ts";
import type { EvalSummary } from "../run/summarize.ts";

/** One model's line of a `--models` comparison. */
export interface ComparedModel {
  id: string;
  /** The model's run folder, relative to the comparison. */
  directory: string;
  tasks: number;
  samplesPerTask: number;
  passAt1: number;
  /** pass@k for k > 1, when every task has that many samples. */
  passAtK: Record<string, number>;
  solvedTasks: number;
  costUsd: string;
  costPerSolvedUsd: string | null;
  costPerTaskUsd: string;
  tokens: EvalSummary["tokens"];
  complete: boolean;
}

/** comparison.json: the same suite run on several models, in the order they were named. */
export interface Comparison {
  suite: string;
  generatedAt: string;
  models: ComparedModel[];
}

function comparedModel(run: CollectedRun): ComparedModel {
  const { summary } = run;
  return {
    id: summary.model,
    directory: run.directory,
    tasks: summary.tasks,
    samplesPerTask: summary.samples.perTask.max,
    passAt1: summary.passAt1,
    passAtK: Object.fromEntries(Object.entries(summary.passAtK).filter(([name]) => name !== "pass@1")),
    solvedTasks: summary.solvedTasks,
    costUsd: summary.costUsd,
    costPerSolvedUsd: summary.costPerSolvedUsd,
    costPerTaskUsd: summary.costPerTaskUsd,
    tokens: summary.tokens,
    complete: summary.complete,
  };
}

/**
 * The comparison of the named models from the runs collected under the comparison's folder: each model's run of
 * this suite in its own folder; a model with no results yet is left out.
 */
export function buildComparison(
  suite: string,
  models: ReadonlyArray<{ id: string; directory: string }>,
  runs: readonly CollectedRun[],
  generatedAt: Date,
): Comparison {
  const compared: ComparedModel[] = [];
  for (const model of models) {
    // The folder is the model's own; its run is named by the catalog id, which an alias spec may not spell.
    const run = runs.find((candidate) => candidate.directory === model.directory && candidate.summary.suite === suite);
    if (run) compared.push(comparedModel(run));
  }
  return { suite, generatedAt: generatedAt.toISOString(), models: compared };
}
