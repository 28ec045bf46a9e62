import { Command } from "commander";
import { configFiles } from "../../config/config-files.ts";
import { readProjectHooks, trustFile, trustProjectHooks } from "../../config/project-hooks.ts";
import type { HooksSettings } from "../../config/settings-schema.ts";
import type { CliContext } from "../cli-context.ts";
import { CommandInputError } from "../cli-errors.ts";

interface HookRow {
  source: string;
  event: string;
  matcher: string;
  command: string;
  timeout: number;
  trusted: boolean;
}

function rowsOf(source: string, hooks: HooksSettings, trusted: boolean): HookRow[] {
  return Object.entries(hooks).flatMap(([event, entries]) =>
    (entries ?? []).flatMap((entry) =>
      entry.hooks.map((hook) => ({
        source,
        event,
        matcher: entry.matcher || "*",
        command: hook.command,
        timeout: hook.timeout ?? 60,
        trusted,
      })),
    ),
  );
}

/** `tansuo hooks list|trust`: what runs around tool calls, and the one-time trust a project file's hooks need. */
export function createHooksCommand(context: CliContext): Command {
  const command = new Command("hooks").description(
    "Hooks (config `hooks`, Claude Code's format): list them; trust a project file's hooks so they run",
  );
  command
    .command("list")
    .description("List the hooks from $TANSUO_HOME/config.json and ./tansuo.config.json, and whether each runs")
    .option("--json", "print them as JSON")
    .action((options: { json?: boolean }) => {
      const project = readProjectHooks(context);
      const rows = [
        ...rowsOf(configFiles(context).home, context.settings.hooks, true),
        ...(project ? rowsOf(project.file, project.hooks, project.trusted) : []),
      ];
      if (options.json) {
        context.stdout.write(`${JSON.stringify(rows, null, 2)}\n`);
        return;
      }
      if (rows.length === 0) {
        context.stdout.write(
          "No hooks configured (config `hooks` in $TANSUO_HOME/config.json or ./tansuo.config.json).\n",
        );
        return;
      }
      for (const row of rows) {
        const state = row.trusted ? "runs" : "NOT TRUSTED (tansuo hooks trust)";
        context.stdout.write(
          `${row.event} [${row.matcher}] ${row.command}  (${row.timeout} s, ${state})\n  from ${row.source}\n`,
        );
      }
    });
  command
    .command("trust")
    .description("Trust the hooks of ./tansuo.config.json as they are now (a later change needs trust again)")
    .action(() => {
      const project = readProjectHooks(context);
      if (!project) {
        throw new CommandInputError(`${configFiles(context).project} has no hooks; there is nothing to trust.`);
      }
      trustProjectHooks(project, context.env);
      for (const row of rowsOf(project.file, project.hooks, true)) {
        context.stdout.write(`trusted: ${row.event} [${row.matcher}] ${row.command}\n`);
      }
      context.stdout.write(`Recorded in ${trustFile(context.env)}; these hooks now run in this project.\n`);
    });
  return command;
}
