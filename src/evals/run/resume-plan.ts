import { mkdir } from "node:fs/promises";
import path from "node:path";
import { EvalUsageError } from "../eval-errors.ts";
import type { SuiteTask } from "../suites/suite-definition.ts";
import { readResults, resultsFileName } from "./results-file.ts";
import { isFinished, type SampleResult, sampleKey } from "./sample-result.ts";

export interface WorkItem<Task extends SuiteTask = SuiteTask> {
  task: Task;
  sample: number;
}

export interface ResumePlan<Task extends SuiteTask = SuiteTask> {
  resultsFile: string | undefined;
  /** This suite and model's results already in --out. */
  previous: SampleResult[];
  /** The samples still to do; finished ones are skipped, errors are tried again. */
  work: WorkItem<Task>[];
}

/**
 * What is left of a run: the results already in --out for this suite and model, checked to be made at the same
 * temperature (mixing them would blur pass@k), and the samples not yet finished.
 */
export async function planResume<Task extends SuiteTask>(
  outDirectory: string | undefined,
  identity: { suite: string; model: string; temperature: number | null },
  tasks: readonly Task[],
  samples: number,
): Promise<ResumePlan<Task>> {
  const resultsFile = outDirectory ? path.join(outDirectory, resultsFileName) : undefined;
  if (outDirectory) await mkdir(outDirectory, { recursive: true });
  const previous = resultsFile
    ? (await readResults(resultsFile)).filter(
        (result) => result.suite === identity.suite && result.model === identity.model,
      )
    : [];
  const other = previous.find((result) => isFinished(result) && result.temperature !== identity.temperature);
  if (resultsFile && other) {
    throw new EvalUsageError(
      `${resultsFile} holds results of this run made with temperature ${other.temperature}, not ${identity.temperature}. ` +
        `Rerun with --temperature ${other.temperature} to continue it, or choose another --out folder.`,
    );
  }
  const finished = new Set(previous.filter(isFinished).map(sampleKey));
  const work: WorkItem<Task>[] = [];
  for (const task of tasks) {
    for (let sample = 0; sample < samples; sample++) {
      if (!finished.has(sampleKey({ taskId: task.id, sample }))) work.push({ task, sample });
    }
  }
  return { resultsFile, previous, work };
}
