import { Command } from "commander";
import { type RecommendedModel, recommendedModels, totalSizeBytes } from "../../models/recommended-models.ts";
import type { CliContext } from "../cli-context.ts";
import { table } from "../format.ts";

const gigabytes = (bytes: number) => `${(bytes / 1_000_000_000).toFixed(2)} GB`;

/** The recommended open models as a table: name, download size, kind and why; `models pull` prints it too. */
export function writeRecommendedModels(output: NodeJS.WritableStream, models: readonly RecommendedModel[]): void {
  const rows = [["NAME", "SIZE", "KIND", "WHY"]];
  for (const model of models) {
    const parts = model.files.length > 1 ? ` (${model.files.length} parts)` : "";
    rows.push([
      model.name,
      gigabytes(totalSizeBytes(model)) + parts,
      model.reasoning ? "reasoning" : "instruct",
      model.why,
    ]);
  }
  output.write(`${table(rows)}\n`);
  output.write(
    "\nAll Q4_K_M GGUF files from Hugging Face, checked against their published sha256.\n" +
      "Download one with: tansuo models pull <name>   (or any hf:<user>/<repo>/<file>.gguf)\n",
  );
}

export function createModelsRecommendedCommand(context: CliContext): Command {
  return new Command("recommended")
    .description("List recommended open models for local runs, with their download size and why")
    .option("--json", "print the list as JSON")
    .action((_options: unknown, command: Command) => {
      // `--json` may be taken by the parent `models` command, which has an option of the same name.
      if (command.optsWithGlobals<{ json?: boolean }>().json) {
        context.stdout.write(`${JSON.stringify(recommendedModels, null, 2)}\n`);
        return;
      }
      writeRecommendedModels(context.stdout, recommendedModels);
    });
}
