import { createHash } from "node:crypto";

// What OpenAI, DeepSeek and Anthropic all accept as a function name (the registry's rule).
const maximumLength = 64;
const hashLength = 8;

/**
 * The registry name of a server's tool: `<server>__<tool>`. A tool name with other characters than letters,
 * digits, "_" and "-" has them made "_", and a name over 64 characters is cut; either way it then ends in
 * "_" and a hash of the server's tool name, so it stays unique and the same on every connection (a resumed run
 * finds its tools by these names).
 */
export function mcpToolName(serverName: string, toolName: string): string {
  const safe = toolName.replace(/[^A-Za-z0-9_-]/g, "_");
  const full = `${serverName}__${safe}`;
  if (safe === toolName && full.length <= maximumLength) return full;
  const hash = createHash("sha256").update(toolName).digest("hex").slice(0, hashLength);
  return `${full.slice(0, maximumLength - hashLength - 1)}_${hash}`;
}
