import { Command, CommanderError } from "commander";
import type { CliContext } from "./cli-context.ts";
import { createChatCommand } from "./commands/chat.ts";
import { createEvalCommand } from "./commands/eval.ts";
import { createKeysCommand } from "./commands/keys.ts";
import { createMcpCommand } from "./commands/mcp.ts";
import { createModelsCommand } from "./commands/models.ts";
import { createRunCommand } from "./commands/run.ts";
import { createApproveCommand, createCancelCommand, createResumeCommand, createRunsCommand } from "./commands/runs.ts";
import { createServeCommand } from "./commands/serve.ts";
import { createCliContext, type ProcessWorld } from "./create-cli-context.ts";
import { errorReport } from "./error-report.ts";
import { exitCodes } from "./exit-codes.ts";

/** Builds the `tansuo` program around a context; tests call this with captured streams. */
export function createProgram(context: CliContext, setExitCode: (code: number) => void): Command {
  const program = new Command("tansuo")
    .description(
      "Tansuo (探索): agents on DeepSeek, any OpenAI-compatible server, or a local GGUF model, with exact cost and hard budgets",
    )
    .version("0.1.0")
    .showHelpAfterError()
    .configureOutput({
      writeOut: (text) => context.stdout.write(text),
      writeErr: (text) => context.stderr.write(text),
    })
    .exitOverride();
  program.addCommand(createRunCommand(context, setExitCode));
  program.addCommand(createChatCommand(context, setExitCode));
  program.addCommand(createModelsCommand(context));
  program.addCommand(createRunsCommand(context));
  program.addCommand(createResumeCommand(context, setExitCode));
  program.addCommand(createApproveCommand(context, setExitCode));
  program.addCommand(createCancelCommand(context, setExitCode));
  program.addCommand(createServeCommand(context));
  program.addCommand(createKeysCommand(context));
  program.addCommand(createEvalCommand(context));
  program.addCommand(createMcpCommand(context, setExitCode));
  return program;
}

/** Runs the CLI and returns its exit code; an error prints one clear message, with a trace only for a bug of Tansuo. */
export async function main(argv: string[], world: ProcessWorld): Promise<number> {
  let exitCode: number = exitCodes.succeeded;
  try {
    const context = createCliContext(world);
    const program = createProgram(context, (code) => {
      exitCode = code;
    });
    // Every subcommand, nested ones (`runs list`) too, reports instead of exiting, so bad usage exits 2.
    const overrideExit = (command: Command): void => {
      for (const subcommand of command.commands) overrideExit(subcommand.exitOverride());
    };
    overrideExit(program);
    await program.parseAsync(argv);
    return exitCode;
  } catch (error) {
    if (error instanceof CommanderError) {
      return error.exitCode === 0 ? exitCodes.succeeded : exitCodes.usage;
    }
    world.stderr.write(errorReport(error));
    return exitCodes.failed;
  }
}
