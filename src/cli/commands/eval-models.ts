import path from "node:path";
import { type EvalRun, formatEvalSummary, modelFolderName, writeComparison } from "../../evals/index.ts";
import type { CliContext } from "../cli-context.ts";
import { CommandInterruptedError } from "../cli-errors.ts";

interface EvalModelsRequest {
  suite: string;
  models: readonly string[];
  outDirectory: string | undefined;
  json: boolean;
}

/**
 * `tansuo eval <suite> --models a,b`: the suite on each model in turn, each into `<out>/<model>/` (resumable as one
 * run is), and the comparison rewritten after each, so an interrupted series still shows what is done.
 */
export async function evalModels(
  context: CliContext,
  request: EvalModelsRequest,
  evalOne: (spec: string, outDirectory: string) => Promise<EvalRun>,
): Promise<void> {
  const outDirectory = request.outDirectory;
  if (!outDirectory) throw new Error("--models needs --out");
  for (const spec of request.models) {
    const run = await evalOne(spec, path.join(outDirectory, modelFolderName(spec)));
    if (!request.json) context.stdout.write(`${formatEvalSummary(run.summary)}\n\n`);
    if (run.stopped) {
      await writeComparison(outDirectory, request.suite, request.models);
      throw new CommandInterruptedError(
        `eval interrupted at ${spec}. Finished samples are kept in ${outDirectory}; rerun with the same --models and --out to continue.`,
      );
    }
  }
  const { comparison, files } = await writeComparison(outDirectory, request.suite, request.models);
  if (request.json) {
    context.stdout.write(`${JSON.stringify(comparison, null, 2)}\n`);
    return;
  }
  context.stdout.write(`Wrote ${files.markdown}, ${files.json}, ${files.chart}\n`);
}
