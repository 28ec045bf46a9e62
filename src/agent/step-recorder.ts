import { costOf } from "../cost/cost.ts";
import type { AppliedPrice } from "../cost/price.ts";
import type { TokenUsage } from "../cost/usage.ts";
import type { ResolvedModel } from "../models/resolved-model.ts";
import type { AssistantMessage, RunRecord, StepRecord, ToolCallRecord } from "../store/records.ts";
import type { RunEvent } from "./run-events.ts";
import type { RunObserver } from "./run-observer.ts";
import type { AgentRuntime } from "./runtime.ts";

/** What committing a step needs from the run being executed. */
export interface StepRecorderContext {
  runtime: AgentRuntime;
  resolved: ResolvedModel;
  emit: (event: RunEvent) => void;
  /** When given, the commit is refused (LeaseLostError) unless this owner still holds the run's lease. */
  leaseOwner?: string;
  /** Told of each committed step (telemetry ends the call's span with what the store recorded). */
  observer?: RunObserver;
}

export interface StepToRecord {
  index: number;
  assistant: AssistantMessage;
  finishReason: string;
  usage: TokenUsage;
  price: AppliedPrice;
  /** True when the usage is an upper-bound estimate (the provider never reported it). */
  estimated?: boolean;
}

/**
 * Commits one model call as a step, in one transaction with its ledger row and its planned tool calls,
 * and tells watchers what it cost. Discarded answers (cut, interrupted, lost in a crash) go through here too,
 * so every call the provider may bill is counted.
 */
export async function recordStep(
  context: StepRecorderContext,
  run: RunRecord,
  step: StepToRecord,
  /** Calls that run right after the commit: committed `started`, so the commit is also their start. */
  startNow: ReadonlySet<string> = new Set(),
): Promise<{ run: RunRecord; calls: ToolCallRecord[] }> {
  const { runtime, resolved, emit } = context;
  const cost = costOf(step.usage, step.price);
  const price = step.estimated ? { ...cost.price, estimated: true } : cost.price;
  const at = new Date().toISOString();
  const record: StepRecord = {
    runId: run.id,
    index: step.index,
    assistant: step.assistant,
    finishReason: step.finishReason,
    usage: step.usage,
    costUsd: cost.totalUsd,
    price,
    model: resolved.entry.id,
    createdAt: at,
  };
  const calls: ToolCallRecord[] = step.assistant.discarded
    ? []
    : step.assistant.toolCalls.map((call, position) => ({
        runId: run.id,
        stepIndex: step.index,
        position,
        callId: call.id,
        toolName: call.name,
        input: call.input,
        isError: false,
        ...(startNow.has(call.id) ? { status: "started", startedAt: at } : { status: "planned" }),
      }));
  // The step's events (its deltas) are not waited for: they ride along with the run's next write, in order.
  const updated = await runtime.store.commitStep({
    run,
    leaseOwner: context.leaseOwner,
    step: record,
    ledger: {
      at,
      runId: run.id,
      keyId: run.ownerKeyId,
      model: resolved.entry.id,
      usage: step.usage,
      costUsd: cost.totalUsd,
      price,
    },
    toolCalls: calls,
  });
  context.observer?.stepRecorded(record);
  emit({
    type: "usage",
    step: step.index,
    usage: step.usage,
    costUsd: cost.totalUsd,
    totalCostUsd: updated.costUsd,
    totalUsage: updated.usage,
  });
  return { run: updated, calls };
}
