import os from "node:os";
import { emptyUsage } from "../../cost/usage.ts";
import { Usd } from "../../cost/usd.ts";
import type { ResolvedModel } from "../../models/resolved-model.ts";
import { answersByBatch, type BatchAnswer, type BatchAnswers } from "../batch/answers-by-batch.ts";
import { removeBatchState } from "../batch/batch-state.ts";
import type { CodeHarness } from "../code/score-code-task.ts";
import { TypeScriptChecker } from "../code/typescript-checker.ts";
import { EvalUsageError, ModelUnavailableError } from "../eval-errors.ts";
import type { ProgressState } from "../progress/progress-state.ts";
import { type RunFiles, writeRunFiles } from "../report/write-run-files.ts";
import { isolation } from "../sandbox/isolation.ts";
import { checkReferences, firstTasks, parseCategories } from "../suites/select-tasks.ts";
import type { ScoreContext, SuiteDefinition } from "../suites/suite-definition.ts";
import { findSuite } from "../suites/suite-registry.ts";
import { callModel, type ModelAnswer } from "./call-model.ts";
import { Limiter } from "./limiter.ts";
import { ResultsWriter } from "./results-file.ts";
import { planResume, type WorkItem } from "./resume-plan.ts";
import { errorRecord, type SampleIdentity, scoredRecord } from "./sample-record.ts";
import { type SampleResult, sampleKey } from "./sample-result.ts";
import { type EvalSummary, summarize } from "./summarize.ts";

export interface EvalOptions {
  /** A registered suite's id (see `registerSuite`), or a suite definition handed in directly. */
  suite: string | SuiteDefinition;
  dataDirectory: string;
  /** The model under test; leave out and set `reference` to score the dataset's own answers. */
  model?: ResolvedModel;
  reference?: boolean;
  limit?: number;
  /** Only these of the suite's categories (bfcl: simple_python, parallel, ...). */
  categories?: readonly string[];
  /** Samples per task (default 1); more gives pass@k. */
  samples?: number;
  /** Default 0 for one sample, 0.8 for several (as the Codex paper samples for pass@k). */
  temperature?: number;
  maxOutputTokens?: number;
  /** Model calls in flight (default 4); with `reference`, programs run at once. */
  concurrency?: number;
  /** Where results.jsonl, summary.json, report.md and the chart go; a rerun skips the finished samples. */
  outDirectory?: string;
  /** Replaces each suite's own time limit per program. */
  timeoutMs?: number;
  memoryMb?: number;
  outputLimitBytes?: number;
  abortSignal?: AbortSignal;
  onProgress?: (state: ProgressState) => void;
  /** Send the model calls as one batch through the provider's batch API (needs outDirectory, where it is recorded). */
  batch?: boolean;
  /** Between polls of a batch (default 30 s). */
  batchPollIntervalMs?: number;
  /** Told of the batch's status at each poll. */
  onBatchStatus?: (batchId: string, status: string, counts: string) => void;
}

export interface EvalRun {
  summary: EvalSummary;
  /** Every result of this suite and model: the ones found in --out and the new ones. */
  results: SampleResult[];
  /** Samples already finished in --out, skipped this time. */
  skipped: number;
  files?: RunFiles;
  /** Stopped by the abort signal before every sample was done. */
  stopped: boolean;
}

export const referenceModelId = "reference";

function validate(options: EvalOptions, suite: SuiteDefinition): void {
  const samples = options.samples ?? 1;
  if (!Number.isInteger(samples) || samples < 1)
    throw new EvalUsageError("--samples must be a whole number of at least 1.");
  if (options.limit !== undefined && (!Number.isInteger(options.limit) || options.limit < 1)) {
    throw new EvalUsageError("--limit must be a whole number of at least 1.");
  }
  if (options.reference && options.model)
    throw new EvalUsageError("--reference scores the dataset itself: leave out --model.");
  if (!options.reference && !options.model) throw new EvalUsageError("Name a model with --model, or pass --reference.");
  if (options.reference) checkReferences(suite);
  if (options.batch && !options.model)
    throw new EvalUsageError("--batch sends a model's calls: name the model with --model.");
  if (options.batch && !options.outDirectory) {
    throw new EvalUsageError(
      "--batch needs --out <dir>: the batch id is kept there, so a rerun resumes it instead of paying again.",
    );
  }
}

const defaultMaxOutputTokens = (model: ResolvedModel) =>
  model.entry.defaultOutputTokens ?? Math.min(model.entry.maxOutputTokens, 8192);

/**
 * Runs a suite against a model (or its own references): asks, extracts, executes or checks, records each sample
 * as it finishes, and summarises. Errors of single calls are recorded and the run goes on; a model that cannot
 * answer at all, or a machine missing python3, stops it. Files are written even then, so a rerun continues.
 */
export async function runEval(options: EvalOptions): Promise<EvalRun> {
  const suite: SuiteDefinition = typeof options.suite === "string" ? findSuite(options.suite) : options.suite;
  validate(options, suite);
  const categories = parseCategories(suite, options.categories);
  const samples = options.samples ?? 1;
  const model = options.reference ? undefined : options.model;
  const modelId = model?.entry.id ?? referenceModelId;
  const temperature = model ? (options.temperature ?? (samples > 1 ? 0.8 : 0)) : null;
  const tasks = firstTasks(await suite.load(options.dataDirectory, categories ? { categories } : {}), options.limit);
  const plan = await planResume(options.outDirectory, { suite: suite.id, model: modelId, temperature }, tasks, samples);

  const stop = new AbortController();
  const signal = options.abortSignal ? AbortSignal.any([options.abortSignal, stop.signal]) : stop.signal;
  const memoryMb = options.memoryMb ?? 1024;
  const harness: CodeHarness = {
    typeChecker: new TypeScriptChecker(memoryMb),
    memoryMb,
    outputLimitBytes: options.outputLimitBytes ?? 1024 * 1024,
    ...(options.timeoutMs === undefined ? {} : { timeoutMs: options.timeoutMs }),
  };
  const context: ScoreContext = { harness };
  const writer = plan.resultsFile ? new ResultsWriter(plan.resultsFile) : undefined;
  const cores = os.availableParallelism();
  // Programs run at most one or two per core, whatever the number of model calls in flight.
  const execution = new Limiter(Math.max(2, cores));
  const concurrency = Math.max(1, options.concurrency ?? (model ? 4 : Math.min(4, Math.max(2, cores))));
  const newResults: SampleResult[] = [];
  const started = performance.now();
  let spentUsd = "0";
  let tokens = 0;
  let fatal: unknown;
  const progress = (): ProgressState => ({
    label: `${suite.id} ${modelId}`,
    total: plan.work.length,
    done: newResults.length,
    passed: newResults.filter((result) => result.status === "passed").length,
    failed: newResults.filter((result) => result.status === "failed").length,
    errors: newResults.filter((result) => result.status === "error").length,
    tokens,
    costUsd: spentUsd,
    elapsedMs: performance.now() - started,
  });

  const callSettings = (called: ResolvedModel) => ({
    temperature: temperature ?? 0,
    maxOutputTokens: options.maxOutputTokens ?? defaultMaxOutputTokens(called),
  });
  let batch: BatchAnswers | undefined;
  const askBatch = () =>
    options.batch && model && options.outDirectory
      ? answersByBatch({
          model,
          outDirectory: options.outDirectory,
          work: plan.work,
          prompt: (task) => suite.prompt(task),
          settings: callSettings(model),
          pollIntervalMs: options.batchPollIntervalMs ?? 30_000,
          abortSignal: signal,
          ...(options.onBatchStatus ? { onStatus: options.onBatchStatus } : {}),
        })
      : Promise.resolve(undefined);

  const runItem = async ({ task, sample }: WorkItem): Promise<SampleResult | undefined> => {
    const identity: SampleIdentity = {
      suite: suite.id,
      model: modelId,
      taskId: task.id,
      ...(task.category === undefined ? {} : { category: task.category }),
      sample,
      temperature,
    };
    if (!model) {
      const scoreReference = suite.scoreReference;
      if (!scoreReference) throw new EvalUsageError(`${suite.id} carries no reference solutions.`);
      const scored = await execution.run(() => scoreReference(task, context));
      return scoredRecord(identity, scored, null, {
        usage: emptyUsage(),
        costUsd: "0",
        latencyMs: null,
        finishReason: null,
      });
    }
    if (batch) {
      // Samples the batch did not carry are left for the rerun's batch.
      const outcome = batch.outcomes.get(sampleKey({ taskId: task.id, sample }));
      if (!outcome) return undefined;
      if ("error" in outcome) return errorRecord(identity, outcome.error);
      const batchAnswer: BatchAnswer = outcome.answer;
      const scored = await execution.run(() => suite.score(task, batchAnswer, context));
      return scoredRecord(identity, scored, batchAnswer.text, batchAnswer);
    }
    let answer: ModelAnswer;
    try {
      answer = await callModel(model, suite.prompt(task), { ...callSettings(model), abortSignal: signal });
    } catch (error) {
      if (error instanceof ModelUnavailableError) throw error;
      // A call cut short by the abort is not a result: the rerun will ask again.
      return signal.aborted ? undefined : errorRecord(identity, error);
    }
    const scored = await execution.run(() => suite.score(task, answer, context));
    return scoredRecord(identity, scored, answer.text, answer);
  };

  let next = 0;
  const worker = async () => {
    while (!signal.aborted) {
      const item = plan.work[next++];
      if (!item) return;
      try {
        const result = await runItem(item);
        if (!result) continue;
        newResults.push(result);
        spentUsd = Usd.add(spentUsd, result.costUsd);
        tokens += result.usage.inputTokens + result.usage.outputTokens;
        await writer?.append(result);
        options.onProgress?.(progress());
      } catch (error) {
        fatal ??= error;
        stop.abort(error);
      }
    }
  };
  try {
    batch = await askBatch();
    // Aborted while polling: nothing is scored, the batch stays recorded for the rerun.
    if (!options.batch || batch) {
      await Promise.all(Array.from({ length: Math.min(concurrency, Math.max(1, plan.work.length)) }, worker));
    }
  } finally {
    await harness.typeChecker.close();
    await writer?.flush();
  }
  // Its answers are in results.jsonl now: a rerun sends what is left as a new batch.
  if (batch && !fatal && !signal.aborted && options.outDirectory) await removeBatchState(options.outDirectory);

  const results = [...plan.previous, ...newResults];
  const stopped = newResults.length < plan.work.length;
  const summary = summarize({ suite: suite.id, model: modelId, reference: !model }, results, { stopped });
  if (suite.runsCode) summary.sandbox = (await isolation()).description;
  const files = options.outDirectory ? await writeRunFiles(options.outDirectory, summary) : undefined;
  if (fatal) throw fatal;
  const skipped = tasks.length * samples - plan.work.length;
  return { summary, results, skipped, ...(files ? { files } : {}), stopped };
}
