import { z } from "zod";
import { type Tool, ToolInputError } from "../tool.ts";
import { jsonSchemaInput, modelFacingSchema } from "./json-schema-input.ts";
import type { McpConnection, McpToolDefinition } from "./mcp-connection.ts";
import { McpServerError } from "./mcp-errors.ts";
import { convertMcpResult, mcpResultText, mcpToolOutput } from "./mcp-result.ts";
import { cappedDescription } from "./mcp-tool-limits.ts";
import { mcpToolName } from "./mcp-tool-name.ts";

// A server's tool call is stopped after this long unless its config says `timeoutSeconds`.
export const defaultMcpTimeoutSeconds = 60;
// The registry's own limit comes later, so the server's timeout is the one that speaks (naming the server).
const registryLimitMarginMilliseconds = 5_000;

/**
 * A server's tool as an ordinary registry tool named `<server>__<tool>`: the server's description and JSON
 * schema, approval unless the server is trusted, read-only and idempotent from the tool's annotations.
 */
export function createMcpTool(connection: McpConnection, definition: McpToolDefinition): Tool {
  const serverName = connection.serverName;
  const timeoutMilliseconds = (connection.settings.timeoutSeconds ?? defaultMcpTimeoutSeconds) * 1000;
  // The definition as the server last listed it (it may change on list_changed); the first one if it is gone.
  const current = () => connection.tool(definition.name) ?? definition;
  const schemas = new WeakMap<McpToolDefinition, Record<string, unknown>>();
  const currentSchema = () => {
    const latest = current();
    let schema = schemas.get(latest);
    if (!schema) {
      schema = modelFacingSchema(latest.inputSchema as Record<string, unknown>);
      schemas.set(latest, schema);
    }
    return schema;
  };
  return {
    name: mcpToolName(serverName, definition.name),
    description: cappedDescription(
      definition.description?.trim() ||
        definition.title ||
        `The tool "${definition.name}" of MCP server ${serverName}.`,
    ),
    inputSchema: z.unknown(),
    jsonInputSchema: jsonSchemaInput(currentSchema),
    needsApproval: connection.settings.trusted !== true,
    readOnly: definition.annotations?.readOnlyHint === true,
    idempotent: definition.annotations?.idempotentHint === true,
    timeoutMilliseconds: timeoutMilliseconds + registryLimitMarginMilliseconds,
    async execute(input, context) {
      if (!connection.tool(definition.name)) {
        throw new ToolInputError(
          `MCP server "${serverName}" no longer offers the tool "${definition.name}" (its tool list changed). ` +
            "Do not call it again; use another tool.",
        );
      }
      let result: Awaited<ReturnType<McpConnection["callTool"]>>;
      try {
        result = await connection.callTool(definition.name, input, {
          signal: context.signal,
          timeoutMilliseconds,
          warn: context.warn,
        });
      } catch (error) {
        // The user hears of a failing server once per run and message; the model gets the same text as an error.
        if (error instanceof McpServerError) context.warn(error.message);
        throw error;
      }
      const converted = convertMcpResult(result);
      if (result.isError) {
        const text = mcpResultText(converted, serverName);
        throw new ToolInputError(`MCP server "${serverName}" reported an error from ${definition.name}: ${text}`);
      }
      return mcpToolOutput(converted, serverName, context.vision === true);
    },
  };
}
