import type { FileState } from "../../store/checkpoint-records.ts";
import type { ToolCallRecord } from "../../store/records.ts";
import type { Store } from "../../store/store.ts";
import { type Tool, validateToolInput } from "../../tools/tool.ts";
import type { Workspace } from "../../tools/workspace.ts";
import type { RunEvent } from "../run-events.ts";
import { checkpointPath, readFileState } from "./workspace-file-state.ts";

export interface CheckpointContext {
  runtime: { store: Store };
  runId: string;
  workspace: Workspace;
  emit: (event: RunEvent) => void;
}

/** The paths a call is about to change, their before-states already in the store. */
export interface RecordedBefore {
  call: ToolCallRecord;
  paths: string[];
}

/** The paths the tool declares for this input; none when the input does not parse (the tool refuses it too). */
function declaredPaths(tool: Tool, rawInput: string, workspace: Workspace): string[] {
  if (!tool.changesPaths) return [];
  let parsed: unknown;
  try {
    parsed = rawInput.trim() === "" ? {} : JSON.parse(rawInput);
  } catch {
    return [];
  }
  const validation = validateToolInput(tool, parsed);
  if (!validation.valid) return [];
  const paths = tool.changesPaths(validation.data).map((each) => checkpointPath(workspace, each));
  return [...new Set(paths.filter((each): each is string => each !== undefined))];
}

/**
 * Write-ahead: the content of every path the call will change goes into the store, durably, before the tool runs,
 * so a crash between the edit and its record cannot lose what the file was.
 */
export async function checkpointBefore(
  context: CheckpointContext,
  call: ToolCallRecord,
  tool: Tool,
): Promise<RecordedBefore | undefined> {
  const states = declaredPaths(tool, call.input, context.workspace).flatMap((path) => {
    const before = readFileState(context.workspace, path);
    return before ? [{ path, before }] : [];
  });
  if (states.length === 0) return undefined;
  await context.runtime.store.recordCheckpoints(
    states.map(({ path, before }) => ({
      runId: context.runId,
      kind: "tool" as const,
      callId: call.callId,
      step: call.stepIndex,
      path,
      before,
    })),
  );
  return { call, paths: states.map((state) => state.path) };
}

/** After the call: what each path holds now (the run's last write of it), and a `checkpoint` event. */
export async function checkpointAfter(context: CheckpointContext, recorded: RecordedBefore | undefined) {
  if (!recorded) return;
  const afters = recorded.paths.flatMap((path) => {
    const after: FileState | undefined = readFileState(context.workspace, path);
    return after ? [{ path, after }] : [];
  });
  await context.runtime.store.finishCheckpoints(context.runId, recorded.call.callId, afters);
  context.emit({
    type: "checkpoint",
    step: recorded.call.stepIndex,
    callId: recorded.call.callId,
    files: recorded.paths,
  });
}
