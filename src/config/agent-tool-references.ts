import { TansuoError } from "../errors/tansuo-error.ts";
import type { AgentSettings } from "./settings-schema.ts";

/** How an agent names another as its tool in config: `agents.<name>.tools: ["agent:<other>"]`. */
export const agentToolReference = "agent:";

/** How deep agents may call agents: the top run is depth 0, its children 1, and so on. */
export const maxAgentDepth = 4;

// The wire's function-name rule (letters, digits, _ and -, 64 at most) less the `agent_` prefix.
const callableAgentName = /^[A-Za-z0-9_-]{1,58}$/;

/** The config's agents call agents that do not exist, call each other in a circle, or cannot be named on the wire. */
export class AgentToolConfigError extends TansuoError {
  override readonly name = "AgentToolConfigError";
  readonly kind = "user";
}

/** The agents an agent calls as tools (its `agent:<other>` entries). */
export const calledAgents = (agent: AgentSettings): string[] =>
  (agent.tools ?? [])
    .filter((tool) => tool.startsWith(agentToolReference))
    .map((tool) => tool.slice(agentToolReference.length));

/** Checks every `agent:<other>` reference of the merged config: the agent exists, has a usable name, no cycles. */
export function checkAgentTools(agents: Record<string, AgentSettings>): void {
  const problems: string[] = [];
  for (const [name, agent] of Object.entries(agents)) {
    for (const other of calledAgents(agent)) {
      if (!Object.hasOwn(agents, other)) {
        problems.push(`agents.${name}.tools: "agent:${other}" names no configured agent`);
      } else if (!callableAgentName.test(other)) {
        problems.push(
          `agents.${name}.tools: "agent:${other}": an agent used as a tool needs a name of letters, digits, _ or - (58 at most)`,
        );
      }
    }
  }
  const cycle = findCycle(agents);
  if (cycle) problems.push(`agents: ${cycle.join(" -> ")} call each other in a circle; remove one "agent:" tool`);
  const deepest = cycle ? undefined : longestChain(agents);
  if (deepest && deepest.length - 1 > maxAgentDepth) {
    problems.push(
      `agents: ${deepest.join(" -> ")} calls agents ${deepest.length - 1} levels deep; at most ${maxAgentDepth} are allowed`,
    );
  }
  if (problems.length > 0) {
    throw new AgentToolConfigError(
      `The config's agents cannot be used as tools as written:\n${problems.map((problem) => `  - ${problem}`).join("\n")}\n` +
        "Fix `agents.<name>.tools` in $TANSUO_HOME/config.json or ./tansuo.config.json.",
    );
  }
}

function findCycle(agents: Record<string, AgentSettings>): string[] | undefined {
  const done = new Set<string>();
  const visit = (name: string, path: string[]): string[] | undefined => {
    if (path.includes(name)) return [...path.slice(path.indexOf(name)), name];
    if (done.has(name) || !Object.hasOwn(agents, name)) return undefined;
    for (const other of calledAgents(agents[name]!)) {
      const cycle = visit(other, [...path, name]);
      if (cycle) return cycle;
    }
    done.add(name);
    return undefined;
  };
  for (const name of Object.keys(agents)) {
    const cycle = visit(name, []);
    if (cycle) return cycle;
  }
  return undefined;
}

/** The longest chain of agents calling agents (the config has no cycle). */
function longestChain(agents: Record<string, AgentSettings>): string[] {
  const chainFrom = (name: string): string[] => {
    const agent = Object.hasOwn(agents, name) ? agents[name] : undefined;
    const below = (agent ? calledAgents(agent) : []).map(chainFrom);
    return [name, ...below.reduce<string[]>((longest, chain) => (chain.length > longest.length ? chain : longest), [])];
  };
  return Object.keys(agents)
    .map(chainFrom)
    .reduce<string[]>((longest, chain) => (chain.length > longest.length ? chain : longest), []);
}
