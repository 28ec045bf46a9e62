import { calledAgents } from "../config/agent-tool-references.ts";
import type { Settings } from "../config/settings-schema.ts";
import type { Tool } from "../tools/tool.ts";
import { agentTool } from "./agent-tool.ts";
import { configuredAgentRun } from "./configured-agent.ts";

/**
 * The configured agents that other configured agents call (`agents.<name>.tools: ["agent:<other>"]`), as tools of
 * the runtime: each call is a child run with the callee's own config, executed by the same runtime.
 */
export function configuredAgentTools(settings: Settings): Tool[] {
  const called = new Set(Object.values(settings.agents).flatMap(calledAgents));
  return [...called]
    .filter((name) => Object.hasOwn(settings.agents, name))
    .map((name) => {
      const agent = settings.agents[name]!;
      return agentTool({
        name,
        description:
          `Gives a task to the agent "${name}", which works on it in a run of its own and answers with the result. ` +
          (agent.description ?? agent.instructions),
        newRun: (task, parent) => {
          const run = configuredAgentRun(settings, name, { task, defaultWorkspace: parent.settings.workspace });
          // The same model is reached where the parent reaches it (`--base-url`); another model at its own host.
          return run.model === parent.settings.model ? { ...run, baseUrl: parent.settings.baseUrl } : run;
        },
        runtimeFor: (parent) => parent,
      });
    });
}
