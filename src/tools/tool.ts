import { z } from "zod";
import type { Workspace } from "./workspace.ts";

export { ToolInputError } from "./tool-errors.ts";

export interface ToolContext {
  workspace: Workspace;
  signal: AbortSignal;
}

/** A tool the model can call: schema, a description the model reads, and what it does. */
export interface Tool<Input = unknown> {
  name: string;
  description: string;
  inputSchema: z.ZodType<Input>;
  /** True when the tool leaves the workspace's safe file operations (runs code, reaches the network). */
  needsApproval: boolean;
  /** True when the tool changes nothing, so several calls can run at once. */
  readOnly: boolean;
  execute(input: Input, context: ToolContext): Promise<string>;
}

export const defineTool = <Input>(tool: Tool<Input>): Tool<unknown> => tool as Tool<unknown>;

/** The JSON schema sent to the model for a tool's input. */
export function toolJsonSchema(tool: Tool): Record<string, unknown> {
  const schema = z.toJSONSchema(tool.inputSchema, { target: "draft-7" }) as Record<string, unknown>;
  delete schema.$schema;
  return schema;
}
