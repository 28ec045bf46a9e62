import { mkdirSync } from "node:fs";
import path from "node:path";
import { agentToolReference } from "../config/agent-tool-references.ts";
import type { Settings } from "../config/settings-schema.ts";
import { Usd, type UsdInput } from "../cost/usd.ts";
import { TansuoError } from "../errors/tansuo-error.ts";
import { checkedWorkspaceFolder } from "../tools/workspace.ts";
import { agentToolName } from "./agent-tool-name.ts";
import type { NewRunSettings } from "./run-control.ts";

/** A caller named an agent the config does not define; the message lists the ones it does. */
export class UnknownAgentError extends TansuoError {
  override readonly name = "UnknownAgentError";
  readonly kind = "user";
  constructor(
    readonly agentName: string,
    readonly knownAgents: readonly string[],
  ) {
    super(
      `No agent "${agentName}" in the config. ` +
        (knownAgents.length > 0
          ? `Configured agents: ${knownAgents.join(", ")}.`
          : "No agents are configured; add them under `agents` in $TANSUO_HOME/config.json."),
    );
  }
}

/** A configured agent cannot run as written (no model anywhere); the config's owner must fix it. */
export class AgentNotConfiguredError extends TansuoError {
  override readonly name = "AgentNotConfiguredError";
  readonly kind = "user";
}

export interface ConfiguredAgentRunOptions {
  task: string;
  /** The caller's limit; it can only lower the agent's configured budget, never raise it. */
  budgetUsd?: UsdInput;
  /** The model to use instead of the agent's own. */
  model?: string;
  /** An escalation ladder to use instead of the agent's own model or ladder. */
  models?: string[];
  /** Where the agent works when its config names no workspace; created if missing. */
  defaultWorkspace: string;
}

/** The lower of the given budgets, or none when neither is set. */
export function lowestBudget(...limits: (UsdInput | undefined)[]): Usd | undefined {
  const set = limits.filter((limit): limit is UsdInput => limit !== undefined);
  return set.length > 0 ? Usd.min(set) : undefined;
}

/**
 * The settings of a new run of a configured agent (config `agents.<name>`), shared by every face that starts one
 * (the gateway's `agent:<name>`, `tansuo mcp serve`): its instructions, model, tools, steps, approval and budget.
 */
export function configuredAgentRun(
  settings: Settings,
  agentName: string,
  options: ConfiguredAgentRunOptions,
): NewRunSettings {
  const agent = Object.hasOwn(settings.agents, agentName) ? settings.agents[agentName] : undefined;
  if (!agent) throw new UnknownAgentError(agentName, Object.keys(settings.agents));
  // A model or ladder the caller names replaces the agent's; the agent's ladder replaces its `model`.
  const models = options.models ?? (options.model === undefined ? agent.models : undefined);
  const model = models?.[0] ?? options.model ?? agent.model ?? settings.defaultModel;
  if (!model) {
    throw new AgentNotConfiguredError(
      `Agent "${agentName}" names no model and the config has no defaultModel: the operator must set one.`,
    );
  }
  const workspace = agent.workspace ? path.resolve(agent.workspace) : options.defaultWorkspace;
  try {
    mkdirSync(workspace, { recursive: true });
  } catch (error) {
    // A file in the way is named below as a WorkspaceError; other failures (no permission) say so themselves.
    const code = (error as NodeJS.ErrnoException).code;
    if (code !== "EEXIST" && code !== "ENOTDIR") throw error;
  }
  checkedWorkspaceFolder(workspace);
  return {
    task: options.task,
    model,
    ...(models ? { models } : {}),
    instructions: agent.instructions,
    workspace,
    tools: agent.tools?.map(offeredToolName),
    maxSteps: agent.maxSteps,
    approval: agent.approval,
    budgetUsd: lowestBudget(agent.budgetUsd, options.budgetUsd),
    agentName,
    ...(agent.fallbacks ? { fallbacks: agent.fallbacks } : {}),
    // The agent's own compaction keys win over the top-level ones.
    ...(settings.compaction || agent.compaction ? { compaction: { ...settings.compaction, ...agent.compaction } } : {}),
  };
}

/** A config tools entry as the registry names it: `agent:<other>` is offered as `agent_<other>`. */
export const offeredToolName = (entry: string): string =>
  entry.startsWith(agentToolReference) ? agentToolName(entry.slice(agentToolReference.length)) : entry;
