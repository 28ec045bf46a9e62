import { z } from "zod";
import type { JobTable } from "./jobs/job-table.ts";
import type { SkillEntry } from "./skills/skill-file.ts";
import type { ToolOutput } from "./tool-output.ts";
import type { WebPolicy } from "./web/web-policy.ts";
import type { Workspace } from "./workspace.ts";

export { ToolInputError } from "./tool-errors.ts";
export type { ToolImage, ToolOutput } from "./tool-output.ts";

/** What the user's own config decides about tools; the same for every run of a process. */
export interface ToolPolicy {
  /** Read regular files with more than one hard link (config `files.allowHardLinks`). */
  allowHardLinks: boolean;
  /** How `run_command` is isolated (config `shell.sandbox`). */
  sandbox: "auto" | "required" | "off";
  /** Every secret value Tansuo knows (credential variables, keys in config files): redacted from tool output. */
  secrets: readonly string[];
  /** Variables that hold a model's key whatever they are called (every `apiKeyEnv`): kept from commands. */
  secretVariables?: readonly string[];
  /** Absolute paths tools never touch ($TANSUO_HOME, config files), even inside the workspace. */
  hiddenPaths: readonly string[];
  /** What fetch_url may reach and which search service web_search uses (config `web`); defaults when absent. */
  web?: WebPolicy;
}

export const defaultToolPolicy = (): ToolPolicy => ({
  allowHardLinks: false,
  sandbox: "auto",
  secrets: [],
  hiddenPaths: [],
});

export interface ToolContext {
  workspace: Workspace;
  signal: AbortSignal;
  policy: ToolPolicy;
  /** Tells the user something once per run (a `warning` event), e.g. that no sandbox is available. */
  warn: (message: string) => void;
  /** True when the run's model reads images (catalog `vision`): a tool may then return them (`ToolOutput`). */
  vision?: boolean;
  /** The run the call belongs to (set by the agent's tool runner). */
  runId?: string;
  /** The run's background jobs (run_command `background: true`, job_output, job_stop). */
  jobs?: JobTable;
  /** The run's skill catalogue (RunSettings.skills): the only files `use_skill` may read. */
  skills?: readonly SkillEntry[];
}

/**
 * A tool's input rule given as JSON schema rather than zod (an MCP server's tools): the schema the model is sent,
 * and the check its arguments must pass.
 */
export interface JsonInputSchema {
  readonly jsonSchema: Record<string, unknown>;
  validate(input: unknown): { valid: true; data: unknown } | { valid: false; problems: string };
}

/** A tool the model can call: schema, a description the model reads, and what it does. */
export interface Tool<Input = unknown> {
  name: string;
  description: string;
  inputSchema: z.ZodType<Input>;
  /**
   * Set when the input rule comes as JSON schema (an MCP server's tools): the model is sent it and arguments are
   * checked by its validator; `inputSchema` then only shapes the checked value's type (z.unknown()).
   */
  jsonInputSchema?: JsonInputSchema;
  /** True when the tool leaves the workspace's safe file operations (runs code, reaches the network). */
  needsApproval: boolean;
  /** True when the tool changes nothing, so several calls can run at once. */
  readOnly: boolean;
  /**
   * True when running the same call twice has the effect of running it once, so a call interrupted by a crash
   * may be re-run without asking. Read-only tools are idempotent whatever this says.
   */
  idempotent?: boolean;
  /** Offered only to runs that name it (an agent as a tool), never as part of "all tools". */
  onlyWhenNamed?: boolean;
  /** The call is stopped after this long (default 10 minutes); its signal aborts, and the run goes on without it. */
  timeoutMilliseconds?: number;
  /** Text, or text with images (shown only to a model with vision; others get the text and a note). */
  execute(input: Input, context: ToolContext): Promise<string | ToolOutput>;
  /**
   * The workspace-relative paths a call will write, edit or delete: the runtime checkpoints them (their content
   * before, durably) before the tool runs, so `tansuo undo` can restore them.
   */
  changesPaths?(input: Input): string[];
}

export const defineTool = <Input>(tool: Tool<Input>): Tool<unknown> => tool as Tool<unknown>;

/** The JSON schema sent to the model for a tool's input. */
export function toolJsonSchema(tool: Tool): Record<string, unknown> {
  if (tool.jsonInputSchema) return tool.jsonInputSchema.jsonSchema;
  const schema = z.toJSONSchema(tool.inputSchema, { target: "draft-7" }) as Record<string, unknown>;
  delete schema.$schema;
  return schema;
}

/** Checks a tool's parsed arguments against its schema; problems are text the model can act on. */
export function validateToolInput(
  tool: Tool,
  input: unknown,
): { valid: true; data: unknown } | { valid: false; problems: string } {
  if (tool.jsonInputSchema) return tool.jsonInputSchema.validate(input);
  const validation = tool.inputSchema.safeParse(input);
  if (validation.success) return { valid: true, data: validation.data };
  const problems = validation.error.issues
    .map((issue) => `${issue.path.join(".") || "(arguments)"}: ${issue.message}`)
    .join("; ");
  return { valid: false, problems };
}
