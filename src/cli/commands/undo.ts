import { Command } from "commander";
import { undoRun } from "../../agent/checkpoints/undo-run.ts";
import type { CliContext } from "../cli-context.ts";
import { nonNegativeInteger } from "../option-parsers.ts";
import { undoReport } from "../render/undo-report.ts";

/** `tansuo undo <run> [--to <step>] [--force]`: the run's workspace files as they were before that step. */
export function createUndoCommand(context: CliContext): Command {
  return new Command("undo")
    .description("Restore the files a run changed to before a step (default: its start); shell commands are listed")
    .argument("<run>", "the run's id")
    .option("--to <step>", "restore to before this step's tool calls", nonNegativeInteger, 0)
    .option("--force", "also restore files changed since by someone else")
    .action(async (runId: string, options: { to: number; force?: boolean }) => {
      const outcome = await undoRun(context.openStore(), runId, {
        toStep: options.to,
        force: options.force,
        hiddenPaths: context.runtime().toolPolicy.hiddenPaths,
      });
      context.stdout.write(undoReport(outcome));
    });
}
