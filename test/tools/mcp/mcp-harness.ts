import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import type { Approver } from "../../../src/agent/index.ts";
import { createRuntime, executeRun, type RunEvent, startRun } from "../../../src/agent/index.ts";
import { freePrice } from "../../../src/cost/price.ts";
import { modelEntrySchema } from "../../../src/models/model-entry.ts";
import type { ResolvedModel } from "../../../src/models/resolved-model.ts";
import { usageOf } from "../../../src/models/usage-of.ts";
import { SqliteStore } from "../../../src/store/sqlite-store.ts";
import { ScriptedModel, type ScriptedStep } from "../../../src/testing/index.ts";
import type { McpServerSettings } from "../../../src/tools/mcp/mcp-server-settings.ts";
import { type McpSession, openMcpSession } from "../../../src/tools/mcp/mcp-session.ts";

export const binary = (name: string) => path.resolve(import.meta.dirname, "../../../node_modules/.bin", name);

/** A temp folder with a workspace inside, removed by `cleanup`. */
export function temporaryWorkspace() {
  const folder = mkdtempSync(path.join(tmpdir(), "tansuo-mcp-"));
  const workspace = path.join(folder, "workspace");
  mkdirSync(workspace);
  return { folder, workspace, cleanup: () => rmSync(folder, { recursive: true, force: true }) };
}

/**
 * A runtime over a real SQLite file and a strict scripted model, with the tools of real MCP servers; `run`
 * starts and executes one run, collecting its events.
 */
export async function mcpHarness(
  steps: ScriptedStep[] | ((workspace: string) => ScriptedStep[]),
  servers: (workspace: string) => Record<string, McpServerSettings>,
  options: { secrets?: string[]; vision?: boolean } = {},
) {
  const { folder, workspace, cleanup } = temporaryWorkspace();
  const configured = servers(workspace);
  let session: McpSession | undefined;
  const store = new SqliteStore(path.join(folder, "tansuo.db"));
  try {
    session = await openMcpSession(configured, Object.keys(configured));
  } catch (error) {
    store.close();
    cleanup();
    throw error;
  }
  const model = new ScriptedModel(typeof steps === "function" ? steps(workspace) : steps);
  const entry = modelEntrySchema.parse({
    id: "scripted",
    provider: "openai-compatible",
    upstreamModel: "scripted",
    contextWindow: 32000,
    maxOutputTokens: 4096,
    ...(options.vision ? { capabilities: { tools: true, vision: true } } : {}),
  });
  const resolved: ResolvedModel = {
    entry,
    model,
    priceAt: () => freePrice(),
    usageOf: (usage) => usageOf(usage, undefined),
    close: async () => {},
  };
  const runtime = createRuntime({
    store,
    resolveModel: async () => resolved,
    tools: session.tools,
    toolPolicy: { secrets: options.secrets ?? [] },
  });
  const events: RunEvent[] = [];
  const opened = session;
  return {
    folder,
    workspace,
    model,
    store,
    runtime,
    session: opened,
    events,
    async run(
      options: { approval?: "ask" | "auto" | "deny"; approver?: Approver; onEvent?: (event: RunEvent) => void } = {},
    ) {
      const run = await startRun(runtime, {
        task: "use the MCP tools",
        model: "scripted",
        workspace,
        approval: options.approval ?? "auto",
        mcpServers: opened.serverNames,
      });
      return await executeRun(runtime, run.id, {
        approver: options.approver,
        onEvent: (event) => {
          events.push(event);
          options.onEvent?.(event);
        },
      });
    },
    async cleanup() {
      await opened.close();
      store.close();
      cleanup();
    },
  };
}
