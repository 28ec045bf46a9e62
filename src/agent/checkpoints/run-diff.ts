import type { FileState } from "../../store/checkpoint-records.ts";
import type { Store } from "../../store/store.ts";
import { unifiedDiff } from "./unified-diff.ts";

const decoder = new TextDecoder("utf-8", { fatal: true });

/** The text of a state, or "binary" (a NUL byte or not UTF-8), or "too-large"; undefined for a missing file. */
function textOf(state: FileState): string | undefined | "binary" | "too-large" {
  if (state.kind === "absent") return undefined;
  if (state.kind === "too-large") return "too-large";
  if (state.content.includes(0)) return "binary";
  try {
    return decoder.decode(state.content);
  } catch {
    return "binary";
  }
}

/**
 * What the run (or its step `step`) changed, as a unified diff from its checkpoints: each path from its state
 * before the first change to its state after the last one. Binary files are named, as diff(1) names them.
 */
export async function runDiff(store: Store, runId: string, step?: number): Promise<string> {
  const rows = (await store.listCheckpoints(runId)).filter(
    (row) => row.kind === "tool" && (step === undefined || row.step === step),
  );
  const changes = new Map<string, { before: FileState; after: FileState | undefined }>();
  for (const row of rows) {
    const known = changes.get(row.path);
    changes.set(row.path, { before: known?.before ?? row.before, after: row.after });
  }
  let output = "";
  for (const [path, { before, after }] of changes) {
    if (!after) {
      output += `${path}: the run stopped during the call that changed it (its content after is not recorded)\n`;
      continue;
    }
    const [old, now] = [textOf(before), textOf(after)];
    if (old === "too-large" || now === "too-large") {
      output += `${path}: over the checkpoint size limit; its content is not kept\n`;
    } else if (old === "binary" || now === "binary") {
      const same =
        before.kind === "content" && after.kind === "content" && Buffer.from(before.content).equals(after.content);
      if (!same) output += `Binary files ${old === undefined ? "/dev/null" : `a/${path}`} and b/${path} differ\n`;
    } else {
      output += unifiedDiff(path, old, now);
    }
  }
  return output;
}
