export { Agent, type AgentOptions, type AgentResult, type AgentStream, type AgentTaskOptions } from "./agent.ts";
export { RunStateError } from "./agent-errors.ts";
export type { ApprovalAnswer, Approver } from "./approval.ts";
export {
  AgentNotConfiguredError,
  type ConfiguredAgentRunOptions,
  configuredAgentRun,
  lowestBudget,
  UnknownAgentError,
} from "./configured-agent.ts";
export { addMessage, continueRun } from "./continue-run.ts";
export type { SequencedRunEvent, SequencedRunEventListener } from "./event-bus.ts";
export { type ExecuteRunOptions, executeRun } from "./execute-run.ts";
export { approveRun, cancelRun, type NewRunSettings, startRun } from "./run-control.ts";
export type { RunEvent, RunEventListener } from "./run-events.ts";
export { type AgentRuntime, createRuntime } from "./runtime.ts";
export { queuePendingMessages, steerRun } from "./steering.ts";
export { StructuredOutputError } from "./structured-output.ts";
export { runWorker, type WorkerOptions } from "./worker-loop.ts";
