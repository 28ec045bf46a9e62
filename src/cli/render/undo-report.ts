import type { RestoreOutcome } from "../../agent/checkpoints/restore-files.ts";
import type { UndoOutcome } from "../../agent/checkpoints/undo-run.ts";
import { terminalSafe } from "../format.ts";

/** What an undo or redo did, one line per file, then the shell commands it could not take back. */
export function undoReport(outcome: RestoreOutcome & Partial<Pick<UndoOutcome, "toStep" | "commands">>): string {
  const lines: string[] = [];
  const where = outcome.toStep === undefined ? "" : ` (to before step ${outcome.toStep})`;
  if (outcome.restored.length === 0 && outcome.skipped.length === 0) lines.push(`nothing to restore${where}`);
  for (const path of outcome.restored) lines.push(`restored ${path}${where}`);
  for (const path of outcome.skipped) lines.push(`skipped ${path}`);
  if (outcome.commands && outcome.commands.length > 0) {
    lines.push("shell commands ran after that point; their effects cannot be undone:");
    for (const command of outcome.commands) lines.push(`  $ ${command}`);
  }
  return `${lines.map(terminalSafe).join("\n")}\n`;
}
