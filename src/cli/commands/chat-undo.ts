import { previousTurnStart, redoRun, undoRun } from "../../agent/checkpoints/undo-run.ts";
import { errorKindOf } from "../../errors/error-kind-of.ts";
import type { RunRecord } from "../../store/records.ts";
import type { CliContext } from "../cli-context.ts";
import { errorReport } from "../error-report.ts";
import { undoReport } from "../render/undo-report.ts";

/** Where this session's last /undo went, so a second /undo (with no message between) goes one turn further. */
export interface ChatUndoState {
  toStep: number;
  /** The run's step count then: a message since (more steps) starts again from the last turn. */
  stepCount: number;
}

/** `/undo`: the workspace as it was before the last message's turn; again, one turn further. Reports to stderr. */
export async function chatUndo(
  context: CliContext,
  run: RunRecord | undefined,
  last: ChatUndoState | undefined,
): Promise<ChatUndoState | undefined> {
  const say = (text: string) => context.stderr.write(text);
  if (!run) return void say("no messages yet: nothing to undo\n");
  const store = context.openStore();
  const sameTurns = last !== undefined && last.stepCount === run.stepCount;
  const messages = await store.listRunMessages(run.id);
  const starts = [...new Set([0, ...messages.map((message) => message.afterStep)])];
  const toStep = sameTurns
    ? starts
        .filter((start) => start < last.toStep)
        .sort((a, b) => a - b)
        .at(-1)
    : await previousTurnStart(store, run.id);
  if (toStep === undefined) {
    say("nothing further to undo: the workspace is as it was at the start\n");
    return last;
  }
  try {
    const outcome = await undoRun(store, run.id, { toStep, hiddenPaths: context.runtime().toolPolicy.hiddenPaths });
    say(undoReport(outcome));
  } catch (error) {
    if (errorKindOf(error) !== "user") throw error;
    say(errorReport(error));
    return last;
  }
  return { toStep, stepCount: run.stepCount };
}

/** `/redo`: re-applies what the last /undo restored. */
export async function chatRedo(context: CliContext, run: RunRecord | undefined): Promise<void> {
  if (!run) return void context.stderr.write("no messages yet: nothing to redo\n");
  try {
    const outcome = await redoRun(context.openStore(), run.id, {
      hiddenPaths: context.runtime().toolPolicy.hiddenPaths,
    });
    context.stderr.write(outcome ? undoReport(outcome) : "nothing to redo: no /undo since the last change\n");
  } catch (error) {
    if (errorKindOf(error) !== "user") throw error;
    context.stderr.write(errorReport(error));
  }
}
