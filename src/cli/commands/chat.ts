import path from "node:path";
import { Command } from "commander";
import { type NewRunSettings, queuePendingMessages, RunStateError, startRun, steerRun } from "../../agent/index.ts";
import { endAllRunJobs, reapAllOrphanJobs } from "../../agent/run-jobs.ts";
import { errorKindOf } from "../../errors/error-kind-of.ts";
import type { RunRecord } from "../../store/records.ts";
import { checkedWorkspaceFolder } from "../../tools/workspace.ts";
import { chatCommandList } from "../chat-command-list.ts";
import type { CliContext } from "../cli-context.ts";
import { CommandInputError } from "../cli-errors.ts";
import { errorReport } from "../error-report.ts";
import { exitCodeForStatus, exitCodes } from "../exit-codes.ts";
import { oneOf, usdAmount } from "../option-parsers.ts";
import { ChatAnswerView } from "../render/chat-answer-view.ts";
import { agentOption, agentOverrides } from "./agent-overrides.ts";
import { baseUrlOption } from "./base-url-option.ts";
import { type ChatInput, pipedChatInput, terminalChatInput } from "./chat-input.ts";
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
    .description(`Talk with an agent: every message continues the same run (${chatCommandList})`)
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
      const input = terminal
        ? terminalChatInput(context, `chat: type a message; ${chatCommandList} (Ctrl-C stops a step)\n`)
        : pipedChatInput(context);
      const turn = { context, state, terminal, input, firstRunSettings };
      try {
        for (let line = await input.next(); line !== undefined; line = await input.next()) {
          const text = line.trim();
          if (text === "") continue;
          if (text.startsWith("/")) {
            const outcome = await runSlashCommand(context, state, text);
            if (outcome === "exit") break;
            // `/go` continues the run with a message of its own (the plan to carry out).
            if (outcome !== undefined) last = (await answer(turn, outcome.send)) ?? last;
            continue;
          }
          last = (await answer(turn, text)) ?? last;
        }
      } finally {
        input.close();
        await endAllRunJobs(context.runtime());
        await mcp.close();
        await defaultModel?.close();
      }
      setExitCode(last ? exitCodeForStatus(last.status) : exitCodes.succeeded);
    });
}

interface ChatTurn {
  context: CliContext;
  state: ChatSessionState;
  terminal: boolean;
  input: ChatInput;
  firstRunSettings: (task: string) => NewRunSettings;
}

/**
 * One message: the first starts the session's run, the others continue it. Lines typed meanwhile steer the run; any
 * its turn ended before taking become the next turn at once. Undefined when it was refused.
 */
async function answer(turn: ChatTurn, text: string): Promise<RunRecord | undefined> {
  const { context, state, terminal } = turn;
  const view = new ChatAnswerView(context.stdout, context.stderr);
  let message: string | undefined = text;
  if (state.runId === undefined) {
    const run = await startRun(context.runtime(), turn.firstRunSettings(text));
    state.runId = run.id;
    message = undefined;
    context.stderr.write(`chat run ${run.id} (after a crash, \`tansuo resume ${run.id}\` continues it)\n`);
  }
  const runId = state.runId;
  const steering = new Set<Promise<void>>();
  const steer = (line: string) => {
    const stored = steerRun(context.runtime(), runId, line.trim()).then(
      () =>
        void context.stderr.write(
          "queued: delivered at the next tool boundary (or as the next turn, if this one ends first)\n",
        ),
      (error: unknown) => void context.stderr.write(errorReport(error)),
    );
    steering.add(stored);
    void stored.finally(() => steering.delete(stored));
  };
  let finished: RunRecord | undefined;
  try {
    finished = await turn.input.whileWorking(steer, async (hold) => {
      const drive = (message: string | undefined) =>
        driveRun(context, runId, {
          json: false,
          quiet: true,
          message,
          keepJobs: true,
          input: hold,
          onEvent: terminal ? (event) => view.handle(event) : undefined,
        });
      let outcome = await drive(message);
      // Messages the turn ended before taking are its next turn, unless the person stopped it.
      while (outcome.status === "succeeded") {
        await Promise.all(steering);
        if (!(await queuePendingMessages(context.runtime(), outcome))) break;
        printAnswer(turn, view, outcome);
        outcome = await drive(undefined);
      }
      return outcome;
    });
  } catch (error) {
    // A run waiting for an approval, say: the session goes on, and the message says what to do.
    if (!(error instanceof RunStateError)) throw error;
    context.stderr.write(errorReport(error));
    return undefined;
  } finally {
    await Promise.all(steering);
  }
  printAnswer(turn, view, finished);
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

/** Ends the streamed answer's line; without a terminal the answer is printed whole on stdout. */
function printAnswer(turn: ChatTurn, view: ChatAnswerView, finished: RunRecord): void {
  view.endLine();
  if (!turn.terminal && finished.status === "succeeded") turn.context.stdout.write(`${finished.output ?? ""}\n`);
}

/** The id of the default model the session resolved; a model with no id cannot name the run's model. */
function defaultModelId(resolved: { entry: { id: string } }): string {
  if (!resolved.entry.id) throw new CommandInputError("No model to chat with; pass --model.");
  return resolved.entry.id;
}
