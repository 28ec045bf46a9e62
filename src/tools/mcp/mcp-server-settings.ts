/** How to reach one MCP server (config `mcpServers.<name>`; the schema in config/settings-schema.ts matches it). */
export type McpServerSettings = (
  | { command: string; args?: string[]; env?: Record<string, string>; cwd?: string }
  | { url: string; headers?: Record<string, string> }
) & {
  /** Its tools run without asking. */
  trusted?: boolean;
  /** A tool call that takes longer is stopped. */
  timeoutSeconds?: number;
};
