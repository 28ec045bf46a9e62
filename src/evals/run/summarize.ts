import { Usd } from "../../cost/usd.ts";
import { passAtK, reportedKs } from "../metrics/pass-at-k.ts";
import { percentile } from "../metrics/percentile.ts";
import { isFinished, type SampleResult, sampleKey } from "./sample-result.ts";

export interface CategorySummary {
  tasks: number;
  /** Mean share of passing samples: BFCL's accuracy. */
  accuracy: number;
}

export interface EvalSummary {
  suite: string;
  model: string;
  /** The dataset's own answers were scored (--reference), not a model. */
  reference: boolean;
  tasks: number;
  samples: { perTask: { min: number; max: number }; total: number; passed: number; failed: number; errors: number };
  /** Mean over tasks of the share of passing samples (pass@1). */
  passAt1: number;
  /** pass@k by the unbiased estimator, for each k every task has samples for. */
  passAtK: Record<string, number>;
  /** Tasks solved, counted as pass@1 times tasks (with several samples, the expected number solved). */
  solvedTasks: number;
  /** BFCL: accuracy per category, and their unweighted mean. */
  categories?: Record<string, CategorySummary>;
  categoryMean?: number;
  tokens: { input: number; cached: number; uncached: number; cacheWrite: number; output: number; reasoning: number };
  costUsd: string;
  /** Cost divided by tasks solved; null when none was solved. */
  costPerSolvedUsd: string | null;
  /** Mean cost of one sample. */
  costPerTaskUsd: string;
  /** Latency of the model calls; null for --reference. */
  latencyMs: { p50: number; p95: number } | null;
  temperature: number | null;
  /** False when some samples ended in errors (a rerun with the same --out retries them) or the run was stopped. */
  complete: boolean;
  /** How generated code was isolated in this run (code suites only). */
  sandbox?: string;
}

const usdPlaces = 10;

/** Keeps one result per task and sample: a finished one over an error, the latest of equals. */
export function latestResults(results: readonly SampleResult[]): SampleResult[] {
  const chosen = new Map<string, SampleResult>();
  for (const result of results) {
    const key = sampleKey(result);
    const previous = chosen.get(key);
    if (!previous || isFinished(result) || !isFinished(previous)) chosen.set(key, result);
  }
  return [...chosen.values()];
}

function groupByTask(results: readonly SampleResult[]): Map<string, SampleResult[]> {
  const tasks = new Map<string, SampleResult[]>();
  for (const result of results) {
    const group = tasks.get(result.taskId) ?? [];
    group.push(result);
    tasks.set(result.taskId, group);
  }
  return tasks;
}

const mean = (values: readonly number[]) =>
  values.length === 0 ? 0 : values.reduce((a, b) => a + b, 0) / values.length;

function categoriesOf(tasks: Map<string, SampleResult[]>): Record<string, CategorySummary> | undefined {
  const shares = new Map<string, number[]>();
  for (const samples of tasks.values()) {
    const category = samples[0]?.category;
    if (category === undefined) continue;
    const passed = samples.filter((sample) => sample.status === "passed").length;
    shares.set(category, [...(shares.get(category) ?? []), passed / samples.length]);
  }
  if (shares.size === 0) return undefined;
  return Object.fromEntries(
    [...shares].map(([category, values]) => [category, { tasks: values.length, accuracy: mean(values) }]),
  );
}

/**
 * The summary of one run (one suite and model) from its results. Errors count as not passed, so an
 * incomplete run never looks better than it is; `complete` says whether it is.
 */
export function summarize(
  identity: { suite: string; model: string; reference: boolean },
  allResults: readonly SampleResult[],
  options: { stopped?: boolean } = {},
): EvalSummary {
  const results = latestResults(allResults);
  const tasks = groupByTask(results);
  const counts = [...tasks.values()].map((samples) => ({
    n: samples.length,
    c: samples.filter((sample) => sample.status === "passed").length,
  }));
  const minimum = counts.length === 0 ? 0 : Math.min(...counts.map((count) => count.n));
  const maximum = counts.length === 0 ? 0 : Math.max(...counts.map((count) => count.n));
  const passAt1 = mean(counts.map(({ n, c }) => c / n));
  const passAtKValues: Record<string, number> = {};
  for (const k of reportedKs(minimum)) passAtKValues[`pass@${k}`] = mean(counts.map(({ n, c }) => passAtK(n, c, k)));
  const solvedTasks = passAt1 * tasks.size;
  const costUsd = Usd.sum(results.map((result) => result.costUsd));
  const latencies = results.flatMap((result) => (result.latencyMs === null ? [] : [result.latencyMs]));
  const errors = results.filter((result) => result.status === "error").length;
  const categories = categoriesOf(tasks);
  const sum = (pick: (result: SampleResult) => number) => results.reduce((total, result) => total + pick(result), 0);
  const temperatures = [...new Set(results.map((result) => result.temperature))];
  return {
    suite: identity.suite,
    model: identity.model,
    reference: identity.reference,
    tasks: tasks.size,
    samples: {
      perTask: { min: minimum, max: maximum },
      total: results.length,
      passed: results.filter((result) => result.status === "passed").length,
      failed: results.filter((result) => result.status === "failed").length,
      errors,
    },
    passAt1,
    passAtK: passAtKValues,
    solvedTasks,
    ...(categories ? { categories, categoryMean: mean(Object.values(categories).map((entry) => entry.accuracy)) } : {}),
    tokens: {
      input: sum((result) => result.usage.inputTokens),
      cached: sum((result) => result.usage.cacheHitTokens),
      uncached: sum((result) => result.usage.cacheMissTokens),
      cacheWrite: sum((result) => result.usage.cacheWriteTokens),
      output: sum((result) => result.usage.outputTokens),
      reasoning: sum((result) => result.usage.reasoningTokens),
    },
    costUsd,
    costPerSolvedUsd: solvedTasks > 0 ? Usd.round(Usd.dividedBy(costUsd, solvedTasks), usdPlaces) : null,
    costPerTaskUsd: results.length > 0 ? Usd.round(Usd.dividedBy(costUsd, results.length), usdPlaces) : "0",
    latencyMs:
      latencies.length > 0 ? { p50: percentile(latencies, 50) ?? 0, p95: percentile(latencies, 95) ?? 0 } : null,
    temperature: temperatures.length === 1 ? (temperatures[0] ?? null) : null,
    complete: errors === 0 && !options.stopped,
  };
}
