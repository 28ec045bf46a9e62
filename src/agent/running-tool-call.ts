import { AsyncLocalStorage } from "node:async_hooks";
import type { ToolCallRecord } from "../store/records.ts";
import type { RunEvent } from "./run-events.ts";
import type { AgentRuntime } from "./runtime.ts";

/** The run and call a tool executes for, for tools that start runs of their own (an agent used as a tool). */
export interface RunningToolCall {
  runtime: AgentRuntime;
  runId: string;
  call: ToolCallRecord;
  emit: (event: RunEvent) => void;
}

// Carried with the call's async context, so the tools layer's ToolContext stays free of runs and runtimes.
export const runningToolCall = new AsyncLocalStorage<RunningToolCall>();
