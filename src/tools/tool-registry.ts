import { finishToolName } from "./builtin/finish.ts";
import { builtinTools } from "./builtin-tools.ts";
import { type Tool, toolJsonSchema } from "./tool.ts";
import { ToolRegistryError } from "./tool-registry-errors.ts";
import type { WebPolicy } from "./web/web-policy.ts";
import { webToolNames, webTools } from "./web/web-tools.ts";

// What OpenAI, DeepSeek and Anthropic all accept as a function name.
const toolNamePattern = /^[A-Za-z0-9_-]{1,64}$/;

/**
 * Every tool a runtime can offer, by name: the built-ins in their fixed order, the network tools config allows
 * (fetch_url; web_search with a search backend), then the user's tools in the order they were given. Tool definitions sit in the cached prompt prefix, so this order never changes between steps.
 */
export class ToolRegistry {
  private readonly byName = new Map<string, Tool>();

  constructor(userTools: readonly Tool[] = [], options: { web?: WebPolicy } = {}) {
    for (const tool of [...builtinTools, ...webTools(options.web)]) this.byName.set(tool.name, tool);
    for (const tool of userTools) this.add(tool);
  }

  /** All tools in prompt order. */
  get tools(): Tool[] {
    return [...this.byName.values()];
  }

  get names(): string[] {
    return [...this.byName.keys()];
  }

  get(name: string): Tool | undefined {
    return this.byName.get(name);
  }

  /** The named tools in prompt order (all of them when `names` is absent); an unknown name is the caller's error. */
  select(names: readonly string[] | undefined): Tool[] {
    if (!names) return this.tools.filter((tool) => !tool.onlyWhenNamed);
    const unknown = names.filter((name) => !this.byName.has(name));
    if (unknown.length > 0) {
      const searchHint = unknown.includes("web_search")
        ? "web_search is offered only with a search backend: set web.search in $TANSUO_HOME/config.json. "
        : "";
      throw new ToolRegistryError(
        `Unknown tool(s): ${unknown.join(", ")}. Available tools: ${this.names.join(", ")}. ${searchHint}` +
          "Pass your own tools to createRuntime({ tools }) or new Agent({ tools }).",
      );
    }
    return this.tools.filter((tool) => names.includes(tool.name));
  }

  /** The names a run lists that this registry lacks (a run started by a runtime with other tools). */
  missing(names: readonly string[]): string[] {
    return names.filter((name) => !this.byName.has(name));
  }

  private add(tool: Tool): void {
    checkShape(tool);
    const reserved = [...builtinTools.map((candidate) => candidate.name), ...webToolNames, finishToolName];
    if (reserved.includes(tool.name)) {
      throw new ToolRegistryError(
        `Your tool "${tool.name}" has the name of a built-in tool. Rename it; built-in tools: ${reserved.join(", ")}.`,
      );
    }
    if (this.byName.has(tool.name)) {
      throw new ToolRegistryError(`Two of your tools are named "${tool.name}". Give each tool its own name.`);
    }
    this.byName.set(tool.name, tool);
  }
}

/** Checks what TypeScript cannot promise a JavaScript caller, so a bad tool fails here and not mid-run. */
function checkShape(tool: Tool): void {
  const label = typeof tool?.name === "string" ? `Tool "${tool.name}"` : "A tool";
  if (typeof tool?.name !== "string" || !toolNamePattern.test(tool.name)) {
    throw new ToolRegistryError(`${label} needs a name of 1 to 64 letters, digits, "_" or "-" (got ${tool?.name}).`);
  }
  if (typeof tool.description !== "string" || tool.description.trim() === "") {
    throw new ToolRegistryError(`${label} needs a description: the model reads it to decide when to call the tool.`);
  }
  if (typeof tool.execute !== "function") throw new ToolRegistryError(`${label} needs an execute(input, context).`);
  if (typeof tool.readOnly !== "boolean" || typeof tool.needsApproval !== "boolean") {
    throw new ToolRegistryError(`${label} must say readOnly: true|false and needsApproval: true|false.`);
  }
  if (typeof tool.inputSchema?.safeParse !== "function") {
    throw new ToolRegistryError(`${label} needs a zod inputSchema such as z.object({ ... }).`);
  }
  if (tool.jsonInputSchema !== undefined && typeof tool.jsonInputSchema?.validate !== "function") {
    throw new ToolRegistryError(`${label} has a jsonInputSchema without a validate(input) function.`);
  }
  try {
    toolJsonSchema(tool);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new ToolRegistryError(
      `${label}'s inputSchema cannot be sent to a model as JSON schema (${reason}). Use plain zod types.`,
    );
  }
}
