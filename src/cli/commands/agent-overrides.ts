import {
  AgentNotConfiguredError,
  configuredAgentRun,
  type NewRunSettings,
  UnknownAgentError,
} from "../../agent/index.ts";
import type { CliContext } from "../cli-context.ts";
import { errorReport } from "../error-report.ts";
import { exitCodes } from "../exit-codes.ts";

/** The fields a configured agent sets (`--agent`); the ones it leaves unset keep the command line's values. */
export function agentOverrides(settings: NewRunSettings | undefined): Partial<NewRunSettings> {
  if (!settings) return {};
  return Object.fromEntries(Object.entries(settings).filter(([, value]) => value !== undefined));
}

/** What `--agent <name>` asks for; `refused` when the name is a usage mistake (already reported, exit 2 set). */
export type AgentOption = { kind: "none" } | { kind: "agent"; settings: NewRunSettings } | { kind: "refused" };

/**
 * `--agent <name>` of `run` and `chat`: the configured agent's run settings (`--model` replaces its model,
 * `--budget` can only lower its budget). An unknown agent, or one without a model, is reported before any run exists.
 */
export function agentOption(
  context: CliContext,
  setExitCode: (code: number) => void,
  options: { agent?: string; task: string; model?: string; models?: string[]; budget?: string; workspace: string },
): AgentOption {
  if (options.agent === undefined) return { kind: "none" };
  try {
    const settings = configuredAgentRun(context.settings, options.agent, {
      task: options.task,
      model: options.model,
      models: options.models,
      budgetUsd: options.budget,
      defaultWorkspace: options.workspace,
    });
    return { kind: "agent", settings };
  } catch (error) {
    if (!(error instanceof UnknownAgentError || error instanceof AgentNotConfiguredError)) throw error;
    context.stderr.write(errorReport(error));
    setExitCode(exitCodes.usage);
    return { kind: "refused" };
  }
}
