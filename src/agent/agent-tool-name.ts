/** The tool name an agent is offered under: `agent:<name>` in config, `agent_<name>` on the wire (no colons there). */
export const agentToolName = (agentName: string): string => `agent_${agentName}`;
