import path from "node:path";
import { Command } from "commander";
import { startRun } from "../../agent/index.ts";
import { errorKindOf } from "../../errors/error-kind-of.ts";
import { ImageInputError } from "../../tools/images/image-errors.ts";
import { McpConfigError } from "../../tools/mcp/mcp-errors.ts";
import { checkedWorkspaceFolder } from "../../tools/workspace.ts";
import type { CliContext } from "../cli-context.ts";
import { CommandInputError } from "../cli-errors.ts";
import { errorReport } from "../error-report.ts";
import { exitCodes } from "../exit-codes.ts";
import { oneOf, positiveInteger, usdAmount } from "../option-parsers.ts";
import { agentOption, agentOverrides } from "./agent-overrides.ts";
import { baseUrlOption } from "./base-url-option.ts";
import { driveRun } from "./drive-run.ts";
import { mcpServerList, restartRunServers, startRunServers } from "./mcp-run-servers.ts";
import { checkedLadder, fallbacksOption, modelsOption } from "./models-option.ts";
import { projectOptions } from "./project-options.ts";
import { loadRunImages } from "./run-images.ts";
import { reportRun, runResultJson } from "./run-summary.ts";

export function createRunCommand(context: CliContext, setExitCode: (code: number) => void): Command {
  return new Command("run")
    .description("Run an agent on a task in a workspace folder")
    .argument("<task...>", "what the agent should do")
    .option("-m, --model <model>", "catalog id, provider/model, or a path to a .gguf file")
    .addOption(modelsOption())
    .addOption(fallbacksOption())
    .addOption(baseUrlOption())
    .option("-w, --workspace <dir>", "the only folder file tools may touch", ".")
    .option("--budget <usd>", "hard cap on money for this run", usdAmount)
    .option("--max-steps <n>", "most model calls in this run", positiveInteger, 50)
    .option("--thinking <mode>", "reasoning mode: on, off or auto", oneOf("on", "off", "auto"), "auto")
    .option("--approval <mode>", "tools that need permission: ask, auto or deny", oneOf("ask", "auto", "deny"))
    .option(
      "--tool-choice <mode>",
      "auto (default): the model may answer in text; required: every step calls a tool and the run ends with `finish`",
      oneOf("auto", "required"),
    )
    .option(
      "--tools <names>",
      "comma-separated tools to offer (default: all built-ins and fetch_url; web_search too when config sets web.search)",
      (value: string) =>
        value
          .split(",")
          .map((name) => name.trim())
          .filter(Boolean),
    )
    .option(
      "--mcp <servers>",
      "comma-separated MCP servers from config mcpServers whose tools to offer, or none (default: all)",
      mcpServerList,
    )
    .option("--instructions <text>", "extra instructions for the agent")
    .option(
      "--image <file>",
      "an image (PNG, JPEG, WebP or GIF) sent with the task to a vision model; repeatable",
      (value: string, previous: string[] = []) => [...previous, value],
    )
    .option("--json", "print one JSON object at the end instead of the summary")
    .option(
      "--continue <id>",
      "add the task as a follow-up message to this finished run and continue it (same run, same settings)",
    )
    .option("--agent <name>", "run an agent from config agents (its instructions, model, tools, budget, approval)")
    .option("--queue", "create the run queued for `tansuo worker` processes and return at once, printing its id")
    .option(
      "--mode <mode>",
      "plan: read-only tools and writes to PLAN.md only; normal (default): every tool",
      oneOf("plan", "normal"),
    )
    .option("--no-project-instructions", "do not read AGENTS.md / CLAUDE.md into the prompt")
    .action(async (taskWords: string[], options) => {
      if (options.continue !== undefined) {
        const json = Boolean(options.json);
        const continued = await continueFinishedRun(context, options.continue, taskWords.join(" "), json);
        setExitCode(reportRun(context, continued, json));
        return;
      }
      const interactive = context.isTerminal && (context.stdin as NodeJS.ReadStream).isTTY === true;
      // The default is resolved once, so the run row names the model it really used (and resume uses the same).
      // It stays open until the run ends: a local model's weights, shared per file, then load once, not twice.
      let mcp: Awaited<ReturnType<typeof startRunServers>>;
      try {
        mcp = await startRunServers(context, options.mcp);
      } catch (error) {
        // `--mcp` naming a server the config lacks is a usage mistake: nothing was started.
        if (!(error instanceof McpConfigError)) throw error;
        context.stderr.write(errorReport(error));
        setExitCode(exitCodes.usage);
        return;
      }
      let defaultModel: Awaited<ReturnType<typeof context.resolveModel>> | undefined;
      try {
        const task = taskWords.join(" ");
        const workspace = path.resolve(context.cwd, options.workspace);
        // A configured agent brings its own settings; `--model` and `--budget` may replace or lower them.
        const agent = agentOption(context, setExitCode, { ...options, task, workspace });
        if (agent.kind === "refused") return;
        const agentSettings = agent.kind === "agent" ? agent.settings : undefined;
        // The model is resolved up front, named or not: a wrong name, a missing .gguf or a workspace that is no
        // folder is a usage mistake (exit 2), not a failed run saved with a resume hint that could only fail again.
        // It stays open until the run ends: a local model's weights, shared per file, then load once, not twice.
        defaultModel = await usageChecked(context, setExitCode, async () => {
          checkedWorkspaceFolder(agentSettings?.workspace ?? workspace);
          const ladder = agentSettings?.models ?? checkedLadder(options);
          // Every rung is resolved once here, so a wrong name in the ladder is a usage mistake too.
          for (const spec of ladder?.slice(1) ?? [])
            await (await context.resolveModel(spec, { baseUrl: options.baseUrl })).close();
          return context.resolveModel(agentSettings?.model ?? ladder?.[0] ?? options.model, {
            baseUrl: options.baseUrl,
          });
        });
        if (!defaultModel) return;
        const models: string[] | undefined = agentSettings?.models ?? options.models;
        const model: string = agentSettings?.model ?? models?.[0] ?? options.model ?? defaultModel.entry.id;
        // `--tools` picks built-in tools; the MCP servers' tools are picked by `--mcp`.
        const tools = options.tools ? [...options.tools, ...mcp.tools.map((tool) => tool.name)] : undefined;
        let images: Awaited<ReturnType<typeof loadRunImages>>;
        try {
          images = await loadRunImages(context, options.image ?? [], {
            spec: model,
            baseUrl: options.baseUrl,
            resolved: defaultModel,
          });
        } catch (error) {
          // A wrong image or a model that cannot see is a usage mistake: nothing was started or sent.
          if (!(error instanceof ImageInputError)) throw error;
          context.stderr.write(errorReport(error));
          setExitCode(exitCodes.usage);
          return;
        }
        const run = await startRun(context.runtime(), {
          task,
          model,
          toolChoice: options.toolChoice ?? "auto",
          baseUrl: options.baseUrl,
          workspace,
          budgetUsd: options.budget,
          maxSteps: options.maxSteps,
          thinking: options.thinking,
          ...(models ? { models } : {}),
          // A queued run has nobody at a terminal when it runs: as without one, calls needing approval are denied.
          approval: options.approval ?? (interactive && !options.queue ? "ask" : "deny"),
          instructions: options.instructions,
          tools,
          mcpServers: mcp.serverNames,
          ...(context.settings.compaction ? { compaction: context.settings.compaction } : {}),
          ...(images.length > 0 ? { images } : {}),
          ...agentOverrides(agentSettings),
          // `--fallbacks` replaces the agent's list, as `--model` replaces its model.
          ...(options.fallbacks ? { fallbacks: options.fallbacks } : {}),
          ...(options.queue ? { onWorkers: true } : {}),
          ...projectOptions(options),
        });
        if (options.queue) {
          context.stdout.write(options.json ? `${JSON.stringify(runResultJson(run))}\n` : `${run.id}\n`);
          return;
        }
        const finished = await driveRun(context, run.id, { json: Boolean(options.json) });
        setExitCode(reportRun(context, finished, Boolean(options.json)));
      } finally {
        await defaultModel?.close();
        await mcp.close();
      }
    });
}

/** Runs a check made before any run exists; a user's mistake in it is printed and exits 2. */
async function usageChecked<Value>(
  context: CliContext,
  setExitCode: (code: number) => void,
  check: () => Promise<Value>,
): Promise<Value | undefined> {
  try {
    return await check();
  } catch (error) {
    if (errorKindOf(error) !== "user") throw error;
    context.stderr.write(errorReport(error));
    setExitCode(exitCodes.usage);
    return undefined;
  }
}

/** `run --continue`: the run's own MCP servers are started again, as for resume, so it is offered the same tools. */
async function continueFinishedRun(context: CliContext, runId: string, message: string, json: boolean) {
  const run = await context.openStore().getRun(runId);
  if (!run) throw new CommandInputError(`No run with id ${runId}. List runs with \`tansuo runs list\`.`);
  const mcp = await restartRunServers(context, run);
  try {
    return await driveRun(context, runId, { json, message });
  } finally {
    await mcp.close();
  }
}
