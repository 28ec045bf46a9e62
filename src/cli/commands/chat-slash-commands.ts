import { Usd } from "../../cost/usd.ts";
import { chatCommandList } from "../chat-command-list.ts";
import type { CliContext } from "../cli-context.ts";
import { formatUsage } from "../format.ts";
import { switchMode } from "./chat-mode-commands.ts";
import { type ChatUndoState, chatRedo, chatUndo } from "./chat-undo.ts";

/** What a slash command may read and change in a chat session. */
export interface ChatSessionState {
  runId?: string;
  /** The model of the next message; `/model` changes it (for the run too, once there is one). */
  model: string;
  tools?: string[];
  /** Where this session's last /undo went (see chat-undo.ts). */
  undo?: ChatUndoState;
  /** The mode of the session's run (before its first message: of the run it will start). */
  mode?: "plan" | "normal";
}

const help = `commands: ${chatCommandList}`;

/** Runs one `/command` line; returns "exit" for `/exit`. Output goes to stderr: stdout holds answers only. */
export async function runSlashCommand(
  context: CliContext,
  state: ChatSessionState,
  line: string,
): Promise<"exit" | { send: string } | undefined> {
  const [name, ...rest] = line.slice(1).trim().split(/\s+/);
  const argument = rest.join(" ");
  const say = (text: string) => context.stderr.write(`${text}\n`);
  const store = context.openStore();
  const run = state.runId === undefined ? undefined : await store.getRun(state.runId);
  switch (name) {
    case "exit":
    case "quit":
      return "exit";
    case "cost": {
      if (!run) return void say("no messages yet: nothing spent");
      const budget = run.settings.budgetUsd === undefined ? "" : ` of ${Usd.format(run.settings.budgetUsd)}`;
      say(`${Usd.format(run.costUsd)}${budget} · ${run.stepCount} step(s) · ${formatUsage(run.usage)} · run ${run.id}`);
      return;
    }
    case "model": {
      if (!argument) return void say(`model: ${state.model} (change it with /model <id>)`);
      // Resolved once to check it exists (and has what it needs, a key say); the run resolves it again per message.
      try {
        await (await context.resolveModel(argument, { baseUrl: run?.settings.baseUrl })).close();
      } catch (error) {
        return void say(`model not changed: ${error instanceof Error ? error.message : String(error)}`);
      }
      state.model = argument;
      // One model named replaces the run's escalation ladder, if it had one.
      if (run) await store.updateRunSettings(run.id, { ...run.settings, model: argument, models: undefined });
      say(`model: ${argument} from the next message (the prompt cache starts again on a new model)`);
      return;
    }
    case "tools": {
      const tools = context.runtime().tools.select(run?.settings.tools ?? state.tools);
      say(tools.map((tool) => `${tool.name}${tool.needsApproval ? " (asks)" : ""}`).join(", "));
      return;
    }
    case "undo":
      state.undo = await chatUndo(context, run, state.undo);
      return;
    case "redo":
      await chatRedo(context, run);
      state.undo = undefined;
      return;
    case "plan":
    case "go":
      return await switchMode(context, state, run, name === "plan" ? "plan" : "normal");
    default:
      say(`unknown command /${name}; ${help}`);
  }
}
