/** MCP tool names: 1 to 128 of A-Z, a-z, 0-9, `_`, `-` and `.` (the spec's tool-name rule). */
const maxLength = 128;

/**
 * A configured agent's name as an MCP tool name: other characters become `_`, long names are cut, and a name
 * already taken (`run_agent`, or another agent's after sanitising) gets `_2`, `_3`, ... so every agent stays callable.
 */
export function mcpToolName(agentName: string, taken: ReadonlySet<string>): string {
  const base = agentName.replace(/[^A-Za-z0-9_.-]/g, "_").slice(0, maxLength) || "agent";
  if (!taken.has(base)) return base;
  for (let suffix = 2; ; suffix += 1) {
    const tail = `_${suffix}`;
    const candidate = `${base.slice(0, maxLength - tail.length)}${tail}`;
    if (!taken.has(candidate)) return candidate;
  }
}
