import type { Command } from "commander";
import { chatCommandList } from "./chat-command-list.ts";
import type { CliContext } from "./cli-context.ts";

/**
 * One row per top-level command. `tansuo --help` lists the rows without loading any command; only the command
 * being run is imported (with its libraries), so start-up stays fast. `summary` must equal the command's own
 * description (a test checks it); `usage` is what the listing shows after the name. `light: true` gives the command a
 * context without the agent, tools and store (config, catalog and the async services only), for a faster start.
 */
export interface CommandRow {
  name: string;
  usage: string;
  summary: string;
  light?: true;
  load(context: CliContext, setExitCode: (code: number) => void): Promise<Command>;
}

export const commandTable: CommandRow[] = [
  {
    name: "run",
    usage: "[options] <task...>",
    summary: "Run an agent on a task in a workspace folder",
    load: async (context, setExitCode) => (await import("./commands/run.ts")).createRunCommand(context, setExitCode),
  },
  {
    name: "chat",
    usage: "[options]",
    summary: `Talk with an agent: every message continues the same run (${chatCommandList})`,
    load: async (context, setExitCode) => (await import("./commands/chat.ts")).createChatCommand(context, setExitCode),
  },
  {
    name: "models",
    usage: "[options]",
    summary: "List the model catalog: context, capabilities and prices in USD per 1M tokens",
    light: true,
    load: async (context) => (await import("./commands/models.ts")).createModelsCommand(context),
  },
  {
    name: "runs",
    usage: "",
    summary: "List and inspect runs",
    load: async (context) => (await import("./commands/runs.ts")).createRunsCommand(context),
  },
  {
    name: "resume",
    usage: "[options] <id>",
    summary: "Continue a run from its last committed step",
    load: async (context, setExitCode) =>
      (await import("./commands/runs.ts")).createResumeCommand(context, setExitCode),
  },
  {
    name: "approve",
    usage: "[options] <id>",
    summary: "Answer the tool calls a run is waiting on, then continue it",
    load: async (context, setExitCode) =>
      (await import("./commands/runs.ts")).createApproveCommand(context, setExitCode),
  },
  {
    name: "cancel",
    usage: "<id>",
    summary: "Cancel a run (a running process stops within a second)",
    load: async (context, setExitCode) =>
      (await import("./commands/runs.ts")).createCancelCommand(context, setExitCode),
  },
  {
    name: "serve",
    usage: "[options]",
    summary: "Serve catalog models and agents over the OpenAI API, metered and capped per key",
    load: async (context) => (await import("./commands/serve.ts")).createServeCommand(context),
  },
  {
    name: "worker",
    usage: "[options]",
    summary: "Execute runs queued for workers (run --queue, POST /v1/runs with queue), several at once",
    load: async (context) => (await import("./commands/worker.ts")).createWorkerCommand(context),
  },
  {
    name: "ui",
    usage: "[options]",
    summary: "Open the run viewer in the browser on the local database (127.0.0.1 only)",
    load: async (context) => (await import("./commands/ui.ts")).createUiCommand(context),
  },
  {
    name: "keys",
    usage: "",
    summary: "API keys for `tansuo serve`: create, list, revoke",
    load: async (context) => (await import("./commands/keys.ts")).createKeysCommand(context),
  },
  {
    name: "cost",
    usage: "[options]",
    summary: "Spend and tokens from the ledger per day, model, run or key; `cost compare` prices a run elsewhere",
    load: async (context) => (await import("./commands/cost.ts")).createCostCommand(context),
  },
  {
    name: "eval",
    usage: "[options] <suite>",
    summary: "Score a model on a benchmark and see quality per dollar: pass rate, tokens, cost, latency",
    load: async (context) => (await import("./commands/eval.ts")).createEvalCommand(context),
  },
  {
    name: "mcp",
    usage: "",
    summary: "Model Context Protocol: the servers in config (mcpServers) and their tools; serve Tansuo's agents",
    load: async (context, setExitCode) => (await import("./commands/mcp.ts")).createMcpCommand(context, setExitCode),
  },
  {
    name: "hooks",
    usage: "",
    summary: "Hooks (config `hooks`, Claude Code's format): list them; trust a project file's hooks so they run",
    light: true,
    load: async (context) => (await import("./commands/hooks.ts")).createHooksCommand(context),
  },
  {
    name: "undo",
    usage: "[options] <run>",
    summary: "Restore the files a run changed to before a step (default: its start); shell commands are listed",
    load: async (context) => (await import("./commands/undo.ts")).createUndoCommand(context),
  },
];
