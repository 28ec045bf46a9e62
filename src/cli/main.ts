import { Command, CommanderError, Help } from "commander";
import { commandTable } from "./command-table.ts";
import type { ProcessWorld } from "./create-cli-context.ts";
import { errorReport } from "./error-report.ts";
import { exitCodes } from "./exit-codes.ts";
import { startCliTelemetry } from "./start-cli-telemetry.ts";

/** What runs after the command, whatever its outcome (telemetry's flush). */
export type ExitTasks = (() => Promise<void>)[];

/**
 * Builds the `tansuo` program: the command named in argv is loaded in full (`help <name>` loads that one), every
 * other is a row with its summary only, so `tansuo --help` imports no command and no library behind one.
 */
export async function createProgram(
  argv: readonly string[],
  world: ProcessWorld,
  setExitCode: (code: number) => void,
  exitTasks: ExitTasks = [],
): Promise<Command> {
  const program = new Command("tansuo")
    .description(
      "Tansuo (探索): agents on DeepSeek, any OpenAI-compatible server, or a local GGUF model, with exact cost and hard budgets",
    )
    .version("0.1.0")
    .option(
      "--store <url|path>",
      "where runs, ledger and keys are kept: a SQLite file or a postgres:// URL (default $TANSUO_HOME/tansuo.db)",
    )
    .showHelpAfterError()
    .configureOutput({
      writeOut: (text) => world.stdout.write(text),
      writeErr: (text) => world.stderr.write(text),
    })
    .configureHelp({
      subcommandTerm: (command) => {
        const row = commandTable.find((candidate) => candidate.name === command.name());
        return row ? `${row.name} ${row.usage}`.trim() : new Help().subcommandTerm(command);
      },
    })
    .exitOverride();
  const { storeFlag, words } = commandWords(argv.slice(2));
  world = storeFlag === undefined ? world : { ...world, storeFlag };
  const wanted = words[0] === "help" ? words[1] : words[0];
  for (const row of commandTable) {
    if (row.name !== wanted) {
      program.addCommand(new Command(row.name).description(row.summary));
      continue;
    }
    // Config is read only for a command that runs, so `tansuo --help` works even with a broken config file.
    const context = row.light
      ? await (await import("./create-light-cli-context.ts")).createLightCliContext(world)
      : (await import("./create-cli-context.ts")).createCliContext(world);
    // A light command runs no agent and serves nothing: it never loads telemetry.
    const flushTelemetry = row.light ? undefined : await startCliTelemetry(context);
    if (flushTelemetry) exitTasks.push(flushTelemetry);
    program.addCommand(await row.load(context, setExitCode));
  }
  return program;
}

/** The words naming the command, and the global `--store` value (which is no command name), read before parsing. */
function commandWords(args: readonly string[]): { storeFlag?: string; words: string[] } {
  let storeFlag: string | undefined;
  const words: string[] = [];
  for (let index = 0; index < args.length; index++) {
    const word = args[index]!;
    if (word === "--store") storeFlag = args[++index];
    else if (word.startsWith("--store=")) storeFlag = word.slice("--store=".length);
    else if (!word.startsWith("-")) words.push(word);
  }
  return { storeFlag, words };
}

/** Runs the CLI and returns its exit code; an error prints one clear message, with a trace only for a bug of Tansuo. */
export async function main(argv: string[], world: ProcessWorld): Promise<number> {
  let exitCode: number = exitCodes.succeeded;
  const exitTasks: ExitTasks = [];
  try {
    const program = await createProgram(
      argv,
      world,
      (code) => {
        exitCode = code;
      },
      exitTasks,
    );
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
  } finally {
    for (const task of exitTasks) await task();
  }
}
