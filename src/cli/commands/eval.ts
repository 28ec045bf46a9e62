import path from "node:path";
import { fileURLToPath } from "node:url";
import { Command, InvalidArgumentError } from "commander";
import {
  createProgressReporter,
  DatasetError,
  type EvalRun,
  type EvalSummary,
  EvalUsageError,
  findSuite,
  formatEvalSummary,
  isolation,
  ModelUnavailableError,
  parseCategories,
  registeredSuites,
  runEval,
  type SuiteDefinition,
} from "../../evals/index.ts";
import { runsInProcess } from "../../models/providers/runs-in-process.ts";
import type { ResolvedModel } from "../../models/resolved-model.ts";
import type { CliContext } from "../cli-context.ts";
import { CommandInterruptedError } from "../cli-errors.ts";
import { evalModels } from "./eval-models.ts";

interface EvalCommandOptions {
  model?: string;
  models?: string[];
  baseUrl?: string;
  reference?: boolean;
  limit?: number;
  samples: number;
  temperature?: number;
  maxOutputTokens?: number;
  concurrency?: number;
  category?: string[];
  out?: string;
  data?: string;
  timeout?: number;
  json?: boolean;
  batch?: boolean;
}

const wholeNumber = (value: string) => {
  const parsed = Number(value);
  if (!Number.isInteger(parsed) || parsed < 1) throw new InvalidArgumentError("expected a whole number of at least 1");
  return parsed;
};

const temperatureValue = (value: string) => {
  const parsed = Number(value);
  if (value.trim() === "" || !Number.isFinite(parsed) || parsed < 0 || parsed > 2) {
    throw new InvalidArgumentError("expected a number from 0 to 2");
  }
  return parsed;
};

const secondsValue = (value: string) => {
  const parsed = Number(value);
  if (!Number.isFinite(parsed) || parsed <= 0) throw new InvalidArgumentError("expected seconds above 0");
  return parsed;
};

const categoryList = (value: string, previous: string[] = []) => [
  ...previous,
  ...value
    .split(",")
    .map((name) => name.trim())
    .filter(Boolean),
];

const modelList = (value: string) => {
  const models = [
    ...new Set(
      value
        .split(",")
        .map((name) => name.trim())
        .filter(Boolean),
    ),
  ];
  if (models.length === 0) throw new InvalidArgumentError("expected model ids separated by commas");
  return models;
};

// Beside a checkout of this repository, the shared datasets sit in ../shared/data.
const repositoryData = fileURLToPath(new URL("../../../../shared/data", import.meta.url));

function dataDirectory(context: CliContext, flag: string | undefined): string {
  if (flag) return path.resolve(context.cwd, flag);
  if (context.env.TANSUO_EVAL_DATA) return path.resolve(context.cwd, context.env.TANSUO_EVAL_DATA);
  return repositoryData;
}

const isUserError = (error: unknown) => error instanceof EvalUsageError || error instanceof DatasetError;

const howToContinue = (outDirectory: string | undefined) =>
  outDirectory
    ? `Finished samples are kept in ${outDirectory}; rerun with the same --out to continue.`
    : "Nothing was kept: pass --out <dir> to make a run resumable.";

/** `tansuo eval <suite>`: a model's benchmark score with its tokens, dollars and latency, or the harness's own check. */
export function createEvalCommand(context: CliContext): Command {
  // Read when the command is built, so suites registered before then are offered too.
  const suites = registeredSuites();
  const command = new Command("eval")
    .description("Score a model on a benchmark and see quality per dollar: pass rate, tokens, cost, latency")
    .argument("<suite>", `one of ${suites.map((suite) => suite.id).join(", ")}`)
    .option("--model <id>", "the model to evaluate: a catalog id, provider/model, or a .gguf file")
    .option(
      "--models <ids>",
      "run the suite on each of these models (comma-separated) into <out>/<model>/, then write comparison.md",
      modelList,
    )
    .option("--base-url <url>", "send the model's requests to this OpenAI-compatible server")
    .option("--reference", "score the dataset's own reference answers instead of a model (checks the harness)")
    .option("--limit <n>", "only the first n tasks (bfcl: of each category)", wholeNumber)
    .option("--samples <n>", "samples per task; more than 1 reports pass@k", wholeNumber, 1)
    .option("--temperature <t>", "sampling temperature (default 0, or 0.8 with --samples)", temperatureValue)
    .option("--max-output-tokens <n>", "output allowance per answer", wholeNumber)
    .option("--concurrency <n>", "model calls in flight (default 4; 1 for a local model)", wholeNumber)
    .option(
      "--category <names>",
      "only these categories of the suite, comma-separated (bfcl; default all)",
      categoryList,
    )
    .option("--out <dir>", "write results.jsonl, summary.json, report.md and a chart; a rerun resumes")
    .option("--data <dir>", "the dataset folder (default $TANSUO_EVAL_DATA, else ../shared/data of the checkout)")
    .option("--timeout <seconds>", "time limit per program, replacing the suite's own", secondsValue)
    .option(
      "--batch",
      "send the model calls as one batch through the provider's batch API (OpenAI, Anthropic: half price; needs --out; resumable)",
    )
    .option("--json", "print the summary as JSON")
    .configureOutput({
      writeOut: (text) => context.stdout.write(text),
      writeErr: (text) => context.stderr.write(text),
    })
    .addHelpText(
      "after",
      `\nSuites:\n${suites.map((suite) => `  ${suite.id.padEnd(16)}${suite.description}`).join("\n")}\n`,
    )
    .action(async (suiteArgument: string, options: EvalCommandOptions) => {
      const abort = new AbortController();
      const onInterrupt = () => abort.abort(new Error("interrupted"));
      process.once("SIGINT", onInterrupt);
      try {
        const suite = findSuite(suiteArgument);
        const categories = parseCategories(suite, options.category);
        checkModelFlags(options);
        const outDirectory = options.out ? path.resolve(context.cwd, options.out) : undefined;
        const sandbox = await isolation();
        if (suite.runsCode && sandbox.level !== "namespaces") {
          context.stderr.write(`warning: generated code runs with weaker isolation here (${sandbox.description}).\n`);
        }
        const evalOne = (spec: string | undefined, out: string | undefined) =>
          evalOneModel(context, { suite, categories, options, spec, outDirectory: out, abortSignal: abort.signal });
        if (options.models) {
          await evalModels(
            context,
            { suite: suite.id, models: options.models, outDirectory, json: options.json === true },
            evalOne,
          );
          return;
        }
        const run = await evalOne(options.model, outDirectory);
        printRun(context, run, options.json === true);
        if (run.stopped) throw new CommandInterruptedError(`eval interrupted. ${howToContinue(outDirectory)}`);
      } catch (error) {
        if (isUserError(error)) command.error(`tansuo eval: ${(error as Error).message}`, { exitCode: 2 });
        if (error instanceof ModelUnavailableError) {
          throw new ModelUnavailableError(
            `${error.message}. ${howToContinue(options.out && path.resolve(context.cwd, options.out))}`,
          );
        }
        throw error;
      } finally {
        process.off("SIGINT", onInterrupt);
      }
    });
  return command;
}

// TANSUO_BATCH_POLL_SECONDS shortens the wait between polls (tests, a small batch); the default suits a real one.
function batchPollIntervalMs(context: CliContext): number {
  const seconds = Number(context.env.TANSUO_BATCH_POLL_SECONDS);
  return Number.isFinite(seconds) && seconds > 0 ? seconds * 1000 : 30_000;
}

function checkModelFlags(options: EvalCommandOptions): void {
  if (options.models && options.model)
    throw new EvalUsageError(
      "--model and --models are exclusive: name one model with --model, or several with --models a,b.",
    );
  if (options.reference && (options.model || options.models))
    throw new EvalUsageError("--reference scores the dataset itself: leave out --model and --models.");
  if (!options.reference && !options.model && !options.models)
    throw new EvalUsageError("Name a model with --model <id> (or several with --models a,b), or pass --reference.");
  if (options.batch && options.reference)
    throw new EvalUsageError("--batch sends a model's calls: leave out --reference.");
  if (options.batch && !options.out) {
    throw new EvalUsageError(
      "--batch needs --out <dir>: the batch id is kept there, so a rerun resumes it instead of paying again.",
    );
  }
  if (options.models && !options.out)
    throw new EvalUsageError("--models writes one folder per model and a comparison: pass --out <dir>.");
}

interface EvalOneRequest {
  suite: SuiteDefinition;
  categories: readonly string[] | undefined;
  options: EvalCommandOptions;
  /** The model's spec; undefined with --reference. */
  spec: string | undefined;
  outDirectory: string | undefined;
  abortSignal: AbortSignal;
}

/** Resolves one model, runs the suite on it with the progress line, and frees the model. */
async function evalOneModel(context: CliContext, request: EvalOneRequest): Promise<EvalRun> {
  const { suite, categories, options, spec, outDirectory } = request;
  let model: ResolvedModel | undefined;
  try {
    if (spec) {
      try {
        model = await context.resolveModel(spec, options.baseUrl ? { baseUrl: options.baseUrl } : {});
      } catch (error) {
        throw new EvalUsageError(error instanceof Error ? error.message : String(error));
      }
      if (suite.usesTools && !model.entry.capabilities.tools) {
        context.stderr.write(
          `note: the catalog does not list tool calling for ${model.entry.id}; ${suite.id} offers it tools anyway.\n`,
        );
      }
    }
    const progress = createProgressReporter(context.stderr, context.isTerminal);
    let last: Parameters<typeof progress.finish>[0] | undefined;
    const run = await runEval({
      suite,
      dataDirectory: dataDirectory(context, options.data),
      ...(model ? { model } : { reference: true }),
      samples: options.samples,
      ...(options.limit === undefined ? {} : { limit: options.limit }),
      ...(categories ? { categories } : {}),
      ...(options.temperature === undefined ? {} : { temperature: options.temperature }),
      ...(options.maxOutputTokens === undefined ? {} : { maxOutputTokens: options.maxOutputTokens }),
      ...(options.concurrency !== undefined
        ? { concurrency: options.concurrency }
        : model && runsInProcess(model.entry.provider)
          ? { concurrency: 1 }
          : {}),
      ...(outDirectory ? { outDirectory } : {}),
      ...(options.timeout === undefined ? {} : { timeoutMs: options.timeout * 1000 }),
      abortSignal: request.abortSignal,
      ...(options.batch
        ? {
            batch: true,
            batchPollIntervalMs: batchPollIntervalMs(context),
            onBatchStatus: (batchId: string, status: string, counts: string) =>
              context.stderr.write(`batch ${batchId}: ${status}${counts ? ` (${counts} requests done)` : ""}\n`),
          }
        : {}),
      onProgress: (state) => {
        last = state;
        progress.update(state);
      },
    });
    if (last) progress.finish(last);
    return run;
  } finally {
    await model?.close();
  }
}

function printRun(context: CliContext, run: EvalRun, json: boolean): void {
  if (json) {
    context.stdout.write(`${JSON.stringify(run.summary, null, 2)}\n`);
    return;
  }
  context.stdout.write(`${formatEvalSummary(run.summary)}\n`);
  if (run.skipped > 0) context.stdout.write(`(${run.skipped} samples were already done in --out and were skipped)\n`);
  if (run.files) {
    const written = [run.files.results, run.files.summary, run.files.report, ...run.files.charts];
    context.stdout.write(`Wrote ${written.join(", ")}\n`);
  }
  if (!run.summary.complete && run.summary.samples.errors > 0) {
    context.stderr.write(
      `${run.summary.samples.errors} samples ended in model errors and count as failed; rerun with the same --out to retry them.\n`,
    );
  }
}

export type { EvalSummary };
