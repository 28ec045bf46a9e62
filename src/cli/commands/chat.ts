import path from "node:path";
import { createInterface } from "node:readline";
import { createInterface as createPrompt } from "node:readline/promises";
import { Command } from "commander";
import { type NewRunSettings, RunStateError, startRun } from "../../agent/index.ts";
import { endAllRunJobs, reapAllOrphanJobs } from "../../agent/run-jobs.ts";
import { errorKindOf } from "../../errors/error-kind-of.ts";
import type { RunRecord } from "../../store/records.ts";
import { checkedWorkspaceFolder } from "../../tools/workspace.ts";
import type { CliContext } from "../cli-context.ts";
import { CommandInputError } from "../cli-errors.ts";
import { errorReport } from "../error-report.ts";
import { exitCodeForStatus, exitCodes } from "../exit-codes.ts";
import { oneOf, usdAmount } from "../option-parsers.ts";
import { ChatAnswerView } from "../render/chat-answer-view.ts";
import { agentOption, agentOverrides } from "./agent-overrides.ts";
import { baseUrlOption } from "./base-url-option.ts";
import { type ChatSessionState, runSlashCommand } from "./chat-slash-commands.ts";
import { driveRun } from "./drive-run.ts";
import { startRunServers } from "./mcp-run-servers.ts";
import { checkedLadder, fallbacksOption, modelsOption } from "./models-option.ts";
import { projectOptions } from "./project-options.ts";

interface ChatOptions {
  model?: string;
  models?: string[];
  fallbacks?: string[];
  baseUrl?: string;
  agent?: string;
  workspace: string;
  budget?: string;
  mode?: "plan" | "normal";
  projectInstructions?: boolean;
}

/**
 * `tansuo chat`: each message continues one durable run (its first message is the task), so the prompt prefix
 * stays cached and `tansuo resume <id>` picks the session up after a crash. Without a terminal on stdin it reads
 * one message per line and prints each answer on stdout, so it can be scripted.
 */
export function createChatCommand(context: CliContext, setExitCode: (code: number) => void): Command {
  return new Command("chat")
    .description(
      "Talk with an agent: every message continues the same run (/cost, /model <id>, /tools, /plan, /go, /exit)",
    )
    .option("-m, --model <model>", "catalog id, provider/model, or a path to a .gguf file")
    .addOption(modelsOption())
    .addOption(fallbacksOption())
    .addOption(baseUrlOption())
    .option("--agent <name>", "talk to an agent from config agents (its instructions, model, tools, budget, approval)")
    .option("-w, --workspace <dir>", "the only folder file tools may touch", ".")
    .option("--budget <usd>", "hard cap on money for the whole conversation", usdAmount)
    .option(
      "--mode <mode>",
      "plan: read-only tools and PLAN.md only, until /go; normal (default)",
      oneOf("plan", "normal"),
    )
    .option("--no-project-instructions", "do not read AGENTS.md / CLAUDE.md into the prompt")
    .action(async (options: ChatOptions) => {
      const terminal = context.isTerminal && (context.stdin as NodeJS.ReadStream).isTTY === true;
      const workspace = path.resolve(context.cwd, options.workspace);
      const agent = agentOption(context, setExitCode, { ...options, task: "", workspace });
      if (agent.kind === "refused") return;
      const agentSettings = agent.kind === "agent" ? agent.settings : undefined;
      // A workspace that is no folder is a usage mistake, told before the first message is read.
      let ladder: string[] | undefined;
      try {
        checkedWorkspaceFolder(agentSettings?.workspace ?? workspace);
        ladder = agentSettings?.models ?? checkedLadder(options);
      } catch (error) {
        if (errorKindOf(error) !== "user") throw error;
        context.stderr.write(errorReport(error));
        setExitCode(exitCodes.usage);
        return;
      }
      // The default is resolved once and stays open for the session: a local model's weights then load once, not
      // once here and again for the run (as in `tansuo run`).
      const named = agentSettings?.model ?? ladder?.[0] ?? options.model;
      const defaultModel =
        named === undefined ? await context.resolveModel(undefined, { baseUrl: options.baseUrl }) : undefined;
      const model = named ?? defaultModelId(defaultModel!);
      const state: ChatSessionState = { model, tools: agentSettings?.tools, mode: options.mode };
      const mcp = await startRunServers(context, undefined);
      // Jobs a crashed earlier session left running are killed; this session's end when it exits.
      reapAllOrphanJobs(context.runtime());
      const firstRunSettings = (task: string): NewRunSettings => ({
        toolChoice: "auto",
        baseUrl: options.baseUrl,
        workspace,
        budgetUsd: options.budget,
        approval: terminal ? "ask" : "deny",
        mcpServers: mcp.serverNames,
        ...agentOverrides(agentSettings),
        // `--fallbacks` replaces the agent's list, as `--model` replaces its model.
        ...(options.fallbacks ? { fallbacks: options.fallbacks } : {}),
        // `/model` before the first message replaces the ladder with one model.
        models: ladder && state.model === ladder[0] ? ladder : undefined,
        ...{ task, model: state.model },
        ...projectOptions({ mode: state.mode, projectInstructions: options.projectInstructions }),
      });
      let last: RunRecord | undefined;
      try {
        for await (const line of chatLines(context, terminal)) {
          const text = line.trim();
          if (text === "") continue;
          if (text.startsWith("/")) {
            const outcome = await runSlashCommand(context, state, text);
            if (outcome === "exit") break;
            // `/go` continues the run with a message of its own (the plan to carry out).
            if (outcome !== undefined)
              last = (await answer(context, state, outcome.send, terminal, firstRunSettings)) ?? last;
            continue;
          }
          last = (await answer(context, state, text, terminal, firstRunSettings)) ?? last;
        }
      } finally {
        await endAllRunJobs(context.runtime());
        await mcp.close();
        await defaultModel?.close();
      }
      setExitCode(last ? exitCodeForStatus(last.status) : exitCodes.succeeded);
    });
}

/** One message: the first starts the session's run, the others continue it. Undefined when it was refused. */
async function answer(
  context: CliContext,
  state: ChatSessionState,
  text: string,
  terminal: boolean,
  firstRunSettings: (task: string) => NewRunSettings,
): Promise<RunRecord | undefined> {
  const view = new ChatAnswerView(context.stdout, context.stderr);
  let message: string | undefined = text;
  if (state.runId === undefined) {
    const run = await startRun(context.runtime(), firstRunSettings(text));
    state.runId = run.id;
    message = undefined;
    context.stderr.write(`chat run ${run.id} (after a crash, \`tansuo resume ${run.id}\` continues it)\n`);
  }
  let finished: RunRecord;
  try {
    finished = await driveRun(context, state.runId, {
      json: false,
      quiet: true,
      message,
      keepJobs: true,
      onEvent: terminal ? (event) => view.handle(event) : undefined,
    });
  } catch (error) {
    // A run waiting for an approval, say: the session goes on, and the message says what to do.
    if (!(error instanceof RunStateError)) throw error;
    context.stderr.write(errorReport(error));
    return undefined;
  }
  view.endLine();
  if (!terminal && finished.status === "succeeded") context.stdout.write(`${finished.output ?? ""}\n`);
  if (finished.status !== "succeeded") {
    const interrupted = finished.error?.startsWith("interrupted by the user");
    context.stderr.write(
      interrupted
        ? "stopped; the next message continues the run\n"
        : `✗ ${finished.status}${finished.error ? `: ${finished.error}` : ""}\n`,
    );
  }
  return finished;
}

/** Lines from a terminal (a prompt each, Ctrl-C there ends the session) or from a pipe (one message a line). */
async function* chatLines(context: CliContext, terminal: boolean): AsyncGenerator<string> {
  if (!terminal) {
    const lines = createInterface({ input: context.stdin, crlfDelay: Number.POSITIVE_INFINITY });
    try {
      yield* lines;
    } finally {
      lines.close();
    }
    return;
  }
  context.stderr.write("chat: type a message; /cost, /model <id>, /tools, /plan, /go, /exit (Ctrl-C stops a step)\n");
  while (true) {
    // A prompt per line, closed while the run works: the approver asks on the same terminal.
    const prompt = createPrompt({ input: context.stdin, output: context.stderr });
    const line = await new Promise<string | undefined>((resolve) => {
      prompt.once("close", () => resolve(undefined));
      prompt.once("SIGINT", () => prompt.close());
      prompt.question("› ").then(resolve, () => resolve(undefined));
    });
    prompt.close();
    if (line === undefined) return;
    yield line;
  }
}

/** The id of the default model the session resolved; a model with no id cannot name the run's model. */
function defaultModelId(resolved: { entry: { id: string } }): string {
  if (!resolved.entry.id) throw new CommandInputError("No model to chat with; pass --model.");
  return resolved.entry.id;
}
