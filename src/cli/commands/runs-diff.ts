import type { Command } from "commander";
import { runDiff } from "../../agent/checkpoints/run-diff.ts";
import type { CliContext } from "../cli-context.ts";
import { CommandInputError } from "../cli-errors.ts";
import { nonNegativeInteger } from "../option-parsers.ts";

/** `tansuo runs diff <run> [--step n]`: what the run (or one step) changed in the workspace, as a unified diff. */
export function addRunsDiffCommand(runs: Command, context: CliContext): void {
  runs
    .command("diff")
    .description("What a run changed in its workspace (or one step of it), as a unified diff from its checkpoints")
    .argument("<id>")
    .option("--step <n>", "only the changes of this step's tool calls", nonNegativeInteger)
    .action(async (id: string, options: { step?: number }) => {
      const store = context.openStore();
      if (!(await store.getRun(id))) {
        throw new CommandInputError(`No run with id ${id}. List runs with \`tansuo runs list\`.`);
      }
      const diff = await runDiff(store, id, options.step);
      if (diff === "") {
        const what = options.step === undefined ? `run ${id}` : `step ${options.step} of run ${id}`;
        context.stderr.write(`${what} changed no files\n`);
      }
      context.stdout.write(diff);
    });
}
