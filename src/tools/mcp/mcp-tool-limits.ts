import type { Tool as McpToolDefinition } from "@modelcontextprotocol/sdk/types.js";
import { maximumJsonDepth, tooDeepPath } from "../json-depth.ts";

// A server's tool list is sent to the model every turn: these keep one misbehaving server from filling it.
export const maximumDescriptionCharacters = 2_048;
export const maximumSchemaBytes = 64 * 1024;
// tools/list pages and tools read from one server, and how long the whole listing may take.
export const maximumToolPages = 50;
export const maximumToolCount = 1_000;
export const toolListingDeadlineMilliseconds = 30_000;

/** The description the model reads: a longer one is cut, with a note saying so. */
export function cappedDescription(description: string): string {
  if (description.length <= maximumDescriptionCharacters) return description;
  return `${description.slice(0, maximumDescriptionCharacters)} [description cut at ${maximumDescriptionCharacters} of ${description.length} characters]`;
}

/** Why a tool's input schema is refused (too deep or too large to send every turn), or undefined when it is fine. */
export function schemaRefusal(definition: McpToolDefinition): string | undefined {
  if (tooDeepPath(definition.inputSchema, maximumJsonDepth)) {
    return `its input schema nests deeper than ${maximumJsonDepth} levels`;
  }
  const size = Buffer.byteLength(JSON.stringify(definition.inputSchema ?? {}));
  if (size > maximumSchemaBytes) return `its input schema is ${size} bytes, over the ${maximumSchemaBytes}-byte limit`;
  return undefined;
}

/**
 * The tools a server listed that Tansuo offers: a later tool with an already listed name and a tool whose
 * schema is refused are dropped, each with a warning naming the server and the tool.
 */
export function acceptedDefinitions(
  serverName: string,
  definitions: readonly McpToolDefinition[],
): { accepted: McpToolDefinition[]; warnings: string[] } {
  const accepted: McpToolDefinition[] = [];
  const warnings: string[] = [];
  const seen = new Set<string>();
  for (const definition of definitions) {
    const name = String(definition.name).slice(0, 200);
    if (seen.has(definition.name)) {
      warnings.push(`MCP server "${serverName}" lists the tool "${name}" twice; the later one is left out.`);
      continue;
    }
    seen.add(definition.name);
    const refusal = schemaRefusal(definition);
    if (refusal) {
      warnings.push(`MCP server "${serverName}"'s tool "${name}" is left out: ${refusal}.`);
      continue;
    }
    accepted.push(definition);
  }
  return { accepted, warnings };
}
