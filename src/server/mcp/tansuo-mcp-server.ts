import { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import { z } from "zod";
import { type AgentRuntime, configuredAgentRun, lowestBudget, type NewRunSettings } from "../../agent/index.ts";
import type { AgentSettings, Settings } from "../../config/settings-schema.ts";
import { UnknownModelError } from "../../models/model-errors.ts";
import { isEmbeddedSpec } from "../../models/resolve-model.ts";
import type { ResolvedModel } from "../../models/resolved-model.ts";
import { agentRunOutputShape, agentRunResult, refusedResult } from "./agent-run-result.ts";
import { handOffRun, type ToolCallExtra } from "./hand-off-run.ts";
import { mcpToolName } from "./mcp-tool-name.ts";

export interface TansuoMcpServerOptions {
  runtime: AgentRuntime;
  settings: Settings;
  /** Where `run_agent` without an agent works, and agents whose config names no workspace. */
  workspace: string;
  /** The most a `run_agent` call without an agent may spend; callers can only lower it. */
  budgetUsd?: string;
  /** Resolves a model spec (undefined: the default model), to check it before a run starts. */
  resolveModel(spec: string | undefined): Promise<ResolvedModel>;
  /**
   * The only model ids a caller may name (as the gateway serves only listed models): catalog and config ids, never
   * a file path, an `hf:` URI or a free-form provider/model spec, which could load any file or slip past prices.
   */
  modelIds: readonly string[];
  version: string;
  /** Aborted when the server stops: runs still going are interrupted, resumable with `tansuo resume`. */
  signal?: AbortSignal;
}

const approvalNote = (approval: AgentSettings["approval"]) =>
  `Nobody can answer an approval prompt through MCP: tools that need approval are ` +
  (approval === "auto"
    ? "allowed (approval: auto)."
    : approval === "ask"
      ? "left waiting (approval: ask); the run stops and a person approves it with `tansuo approve`."
      : "refused (approval: deny).");

const budgetInput = z
  .number()
  .positive()
  .optional()
  .describe("Most USD this run may spend; it can only lower a configured budget, never raise it");

/** An MCP server whose tools hand tasks to Tansuo agents as ordinary durable, budgeted runs. */
export function createTansuoMcpServer(options: TansuoMcpServerOptions): McpServer {
  const { runtime, settings } = options;
  const server = new McpServer({ name: "tansuo", version: options.version });
  const agentNames = Object.keys(settings.agents);

  const allowedModels = new Set(options.modelIds);
  /** A caller's model outside the allowed ids is refused before it is resolved (resolving may read or download). */
  const callerModelRefusal = (spec: string | undefined): string | undefined =>
    spec === undefined || allowedModels.has(spec)
      ? undefined
      : `Unknown model "${spec}": this server runs only the models it offers: ${options.modelIds.join(", ")}.`;

  /** Checks the model before any run row exists, so a typo is a clear tool error, not a failed run. */
  const modelRefusal = async (spec: string | undefined): Promise<string | undefined> => {
    if (spec !== undefined && isEmbeddedSpec(spec)) return undefined;
    try {
      await (await options.resolveModel(spec)).close();
      return undefined;
    } catch (error) {
      if (error instanceof UnknownModelError) {
        return `${error.message} Models in the catalog: ${options.modelIds.join(", ")}.`;
      }
      return error instanceof Error ? error.message : String(error);
    }
  };

  const run = async (settingsOf: () => Promise<NewRunSettings>, extra: ToolCallExtra) => {
    let runSettings: NewRunSettings;
    try {
      runSettings = await settingsOf();
    } catch (error) {
      return refusedResult(error instanceof Error ? error.message : String(error));
    }
    const refusal = await modelRefusal(runSettings.model);
    if (refusal) return refusedResult(refusal);
    return agentRunResult(await handOffRun(runtime, runSettings, extra, options.signal));
  };

  server.registerTool(
    "run_agent",
    {
      title: "Run a Tansuo agent",
      description:
        "Hands a task to a Tansuo agent and returns its final answer, status, cost (USD) and run id. " +
        `Without \`agent\`, a general agent works in ${options.workspace} with the built-in tools` +
        `${options.budgetUsd ? ` and a budget of $${options.budgetUsd}` : ""}. ` +
        (agentNames.length > 0 ? `Configured agents: ${agentNames.join(", ")}. ` : "") +
        `${approvalNote(undefined)} With an agent, its own \`approval\` setting decides.`,
      inputSchema: {
        task: z.string().min(1).describe("What the agent should do"),
        agent: z.string().optional().describe("A configured agent's name"),
        model: z
          .string()
          .optional()
          .describe(
            `One of this server's models (${options.modelIds.slice(0, 20).join(", ")}${options.modelIds.length > 20 ? ", ..." : ""}); default: the agent's or the config's`,
          ),
        budgetUsd: budgetInput,
      },
      outputSchema: agentRunOutputShape,
    },
    (input, extra) => {
      const refusal = callerModelRefusal(input.model);
      if (refusal) return refusedResult(refusal);
      return run(async () => {
        if (input.agent !== undefined) {
          return configuredAgentRun(settings, input.agent, {
            task: input.task,
            model: input.model,
            budgetUsd: input.budgetUsd,
            defaultWorkspace: options.workspace,
          });
        }
        const model = input.model ?? settings.defaultModel ?? (await defaultModelId(options));
        return {
          task: input.task,
          model,
          workspace: options.workspace,
          approval: "deny",
          budgetUsd: lowestBudget(options.budgetUsd, input.budgetUsd),
        };
      }, extra);
    },
  );

  const taken = new Set(["run_agent"]);
  for (const agentName of agentNames) {
    const agent = settings.agents[agentName] as AgentSettings;
    const toolName = mcpToolName(agentName, taken);
    taken.add(toolName);
    const firstLine = agent.instructions.split("\n")[0]?.trim() ?? "";
    server.registerTool(
      toolName,
      {
        title: `Tansuo agent ${agentName}`,
        description:
          `${firstLine} (Tansuo agent "${agentName}"` +
          `${agent.budgetUsd !== undefined ? `, budget $${agent.budgetUsd}` : ""}.) ${approvalNote(agent.approval)}`,
        inputSchema: { task: z.string().min(1).describe("What the agent should do"), budgetUsd: budgetInput },
        outputSchema: agentRunOutputShape,
      },
      (input, extra) =>
        run(
          async () =>
            configuredAgentRun(settings, agentName, {
              task: input.task,
              budgetUsd: input.budgetUsd,
              defaultWorkspace: options.workspace,
            }),
          extra,
        ),
    );
  }
  return server;
}

/** The model the CLI would pick with no `--model` (the first provider with a key). */
async function defaultModelId(options: TansuoMcpServerOptions): Promise<string> {
  const resolved = await options.resolveModel(undefined);
  await resolved.close();
  return resolved.entry.id;
}
