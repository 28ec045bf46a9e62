import type { LanguageModelV3FunctionTool } from "@ai-sdk/provider";
import { upperBoundUsage } from "../cost/estimated-usage.ts";
import { priceAt } from "../cost/price.ts";
import { overloadedReason } from "../models/fallback-reason.ts";
import type { ResolvedModel } from "../models/resolved-model.ts";
import { promptCountingFor } from "../models/tokenizers/prompt-tokens.ts";
import type { AssistantMessage, RunRecord, RunStatus, StepRecord, ToolCallRecord } from "../store/records.ts";
import type { ToolCallChange } from "../store/store.ts";
import { finishTool } from "../tools/builtin/finish.ts";
import type { JobTable } from "../tools/jobs/job-table.ts";
import { toolJsonSchema } from "../tools/tool.ts";
import { Workspace } from "../tools/workspace.ts";
import { type AnswerCheck, judgeAnswer, repairSentAfter } from "./answer-check.ts";
import { type Approver, approvalVerdict } from "./approval.ts";
import { holdRunBudget } from "./budget-gate.ts";
import { billCallLostInCrash, billFailedCall } from "./call-billing.ts";
import { callRequestId, callRequestIdHeader } from "./call-request-id.ts";
import { compactWhenDue } from "./compaction/run-compaction.ts";
import { Escalation } from "./escalation/escalation.ts";
import type { ModelFallback } from "./fallback/model-fallback.ts";
import { failedCallFallbackReason, switchModel } from "./fallback/switch-model.ts";
import { History } from "./history.ts";
import { stopHookMessage, withStopMessages } from "./hooks/stop-hooks.ts";
import { callModel, type ModelCallResult } from "./model-call.ts";
import { offeredTools } from "./plan-mode.ts";
import { promptTokenUpperBound } from "./prompt-estimate.ts";
import type { WriteAlong } from "./run-event-writer.ts";
import type { RunEvent } from "./run-events.ts";
import type { RunObserver } from "./run-observer.ts";
import type { AgentRuntime } from "./runtime.ts";
import { deliverSteering } from "./steering.ts";
import { stepOutcome } from "./step-outcome.ts";
import { recordStep } from "./step-recorder.ts";
import { runToolCalls, type ToolCallsContext } from "./tool-calls.ts";

export interface RunLoopContext {
  runtime: AgentRuntime;
  initial: RunRecord;
  resolved: ResolvedModel;
  signal: AbortSignal;
  /** Once aborted, the run stops before its next model call and is queued again (a worker shutting down). */
  drain?: AbortSignal;
  approver?: Approver;
  /** A rule the final answer must meet (structured output): one repair turn, then the run fails. */
  answerCheck?: AnswerCheck;
  /** Queues an event; it is stored (stream deltas coalesced) and published in order. */
  emit: (event: RunEvent) => void;
  /** Waits until every emitted event is stored; rethrows a failed write. */
  flushEvents: () => Promise<void>;
  setStatus: (status: RunStatus, details?: { output?: string; error?: string }) => Promise<RunRecord>;
  /** Renews the run's lease; throws (and aborts the run) when another process has taken it over. */
  keepLease: () => Promise<void>;
  /** This process's name in the run's lease: the step start and commit are refused once another owner holds it. */
  leaseOwner: string;
  /** Runs a write of the run with the pending events and tool-call finishes riding along in its transaction. */
  writeAlong: (write: WriteAlong) => Promise<void>;
  /** Queues a tool call's change (its finish) for the run's next write. */
  changeToolCall: (callId: string, change: ToolCallChange) => void;
  /** Watches the execution (telemetry): told of committed steps and tool starts. */
  observer: RunObserver;
  /** The run's escalation ladder (`settings.models`); without it every call uses `resolved`. */
  escalation?: Escalation;
  /** The run's background jobs, handed to its tools. */
  jobs?: JobTable;
  /** The run's `fallbacks`: a call whose model is down is made again on the next one (agent/fallback/). */
  fallback?: ModelFallback;
}

// A provider may cut an answer for lack of resources; such an answer is billed, discarded and asked again.
const maximumCutAnswers = 3;

/** The loop: finish what the last committed step left, then call the model and run tools until the run ends. */
export async function runLoop(context: RunLoopContext): Promise<RunRecord> {
  const { runtime, signal, emit, setStatus } = context;
  let { resolved } = context;
  const { store } = runtime;
  const runId = context.initial.id;
  const settings = context.initial.settings;
  const escalation = context.escalation ?? Escalation.fixed(runtime.store, resolved, settings.thinking);
  if (settings.budgetUsd !== undefined) {
    if (priceAt(resolved.entry.prices, new Date()) === undefined) {
      return setStatus("failed", {
        error:
          `${resolved.entry.id} has no price in the catalog, so a budget cannot be enforced. ` +
          "Add its prices to $TANSUO_HOME/config.json (models: [...]) or run without --budget.",
      });
    }
  }
  const vision = resolved.entry.capabilities.vision;
  if ((settings.images?.length ?? 0) > 0 && !vision) {
    return setStatus("failed", {
      error: `${resolved.entry.id} has no vision in the catalog, so it cannot be given this run's images. Start the run again with a vision model, or mark yours with capabilities: { vision: true } in config models: [...].`,
    });
  }
  const toolsRequired = settings.toolChoice === "required";
  const tools = [...runtime.tools.select(settings.tools), ...(toolsRequired ? [finishTool] : [])];
  // Plan mode offers fewer tools; the runtime still knows them all, to refuse a call with a reason (tool-calls.ts).
  const wireTools: LanguageModelV3FunctionTool[] = offeredTools(settings, tools).map((tool) => ({
    type: "function",
    name: tool.name,
    description: tool.description,
    inputSchema: toolJsonSchema(tool),
  }));
  const warned = new Set<string>();
  const toolContext: ToolCallsContext = {
    runtime,
    runId,
    settings,
    tools,
    workspace: new Workspace(settings.workspace, { hiddenPaths: runtime.toolPolicy.hiddenPaths }),
    signal,
    approver: context.approver,
    keepLease: context.keepLease,
    changeToolCall: context.changeToolCall,
    onToolStart: (call) => context.observer.toolStarted(call),
    startedInCommit: new Set(),
    emit,
    warnOnce: (message) => {
      if (warned.has(message)) return;
      warned.add(message);
      emit({ type: "warning", message });
    },
    vision,
    jobs: context.jobs,
  };
  let run = await billCallLostInCrash(context, await setStatus("running"));
  const steps = await store.listSteps(runId);
  const toolCalls = await store.listToolCalls(runId);
  const messages = await store.listRunMessages(runId);
  // A person's message after the last step: that step's answer was settled already, and this is a new turn.
  const lastMessage = messages.at(-1);
  const continuesAfterLastStep = lastMessage !== undefined && lastMessage.afterStep >= steps.length;
  // `maxSteps` counts from the last message: each message of a conversation gets that many more steps.
  const stepLimit = (lastMessage?.afterStep ?? 0) + settings.maxSteps;
  const usedCallIds = new Set(toolCalls.map((call) => call.callId));
  const answerCheck = context.answerCheck;
  let repairs = 0;
  const history = History.rebuild(
    settings,
    steps,
    toolCalls,
    withStopMessages(
      settings,
      answerCheck &&
        ((step, calls) => {
          const repair = repairSentAfter(answerCheck, step, calls, toolsRequired);
          if (repair !== undefined) repairs += 1;
          return repair;
        }),
    ),
    { vision },
    messages,
  );
  // A final answer: accepted, sent back once for repair (undefined: the loop goes on), or the run fails.
  const settle = async (output: string): Promise<RunRecord | undefined> => {
    const verdict = judgeAnswer(answerCheck, output, repairs);
    if (verdict.kind === "accept") {
      // A Stop hook may send the run on with a message (stored, so resume rebuilds it without the hook).
      const more = await stopHookMessage({ ...context, runId, settings }, run.stepCount - 1, output);
      if (more === undefined) return setStatus("succeeded", { output });
      history.appendUser(more);
      return undefined;
    }
    if (verdict.kind === "reject") return setStatus("failed", { output, error: verdict.error });
    repairs += 1;
    escalation.noteFailedCheck();
    history.appendUser(verdict.message);
    return undefined;
  };

  // Finish what the last step left: planned, approved, awaiting or interrupted tool calls, or its answer.
  const lastStep = steps.at(-1);
  if (lastStep && !lastStep.assistant.discarded && !lastStep.assistant.compaction) {
    const calls = toolCalls.filter((call) => call.stepIndex === lastStep.index);
    if (calls.some((call) => call.status !== "finished" && call.status !== "denied")) {
      const waiting = await runToolCalls(toolContext, calls);
      if (waiting.length > 0) return awaitApproval(waiting, emit, setStatus);
      history.appendToolResults(calls);
      history.appendDeferred();
      escalation.observe(calls);
    }
    if (!continuesAfterLastStep) {
      const outcome = stepOutcome(lastStep.assistant, lastStep.finishReason, calls, toolsRequired);
      const settled = outcome.kind === "succeeded" ? await settle(outcome.output) : undefined;
      if (settled) return settled;
    }
  }

  const holdsBudget = settings.budgetUsd !== undefined || run.ownerKeyId !== undefined;
  let known = knownPromptSize(steps, history);
  let cutAnswers = 0;
  while (true) {
    if (signal.aborted) throw signal.reason ?? new Error("cancelled");
    // Between steps only: the last step and its tools are committed, so another worker continues from here.
    if (context.drain?.aborted) return setStatus("queued");
    // A tool boundary: messages typed meanwhile (steering) join the history before the next call.
    await deliverSteering(context, runId, history);
    // A hold is a write: made only while the run is this process's (without a budget nothing is held).
    if (holdsBudget) await context.keepLease();
    const stepIndex = run.stepCount;
    if (stepIndex >= stepLimit) {
      const limit = lastMessage ? `${settings.maxSteps} steps per message` : String(settings.maxSteps);
      return setStatus("failed", { error: `reached the step limit (${limit}) before the task was done` });
    }
    let promptTokens = promptTokenUpperBound(history.prompt, wireTools, known, await promptCountingFor(resolved.entry));
    // Near the window or the budget: old steps are summarised in a step of their own (written by the run's first
    // model, thinking off), then the loop goes on; before the rung is chosen, so a switch is decided once a step.
    const compacted = await compactWhenDue(context, {
      run,
      history,
      wireTools,
      promptTokens,
      wantedOutputTokens: resolved.entry.defaultOutputTokens ?? resolved.entry.maxOutputTokens,
      price: resolved.priceAt(new Date()),
      remainingSteps: stepLimit - stepIndex,
    });
    if (compacted) {
      run = compacted;
      known = undefined;
      continue;
    }
    const rung = await escalation.beforeStep(stepIndex, run, promptTokens, emit);
    // A fallback replaces the rung's model once its own model was down (agent/fallback/).
    const chosen = context.fallback ? context.fallback.modelFor(rung.resolved) : rung.resolved;
    // A model of another tokenizer family counts the whole prompt again, with its own: the last call's real size
    // was counted by the other family.
    if (chosen.entry.tokenizer !== resolved.entry.tokenizer) {
      promptTokens = promptTokenUpperBound(history.prompt, wireTools, undefined, await promptCountingFor(chosen.entry));
    }
    resolved = chosen;
    const price = resolved.priceAt(new Date());
    const wantedOutputTokens = resolved.entry.defaultOutputTokens ?? resolved.entry.maxOutputTokens;
    // Held in the store against the run's budget and its key's; the step commit below settles it to the real cost.
    const budget = await holdRunBudget(
      store,
      run,
      { promptTokens, wantedOutputTokens, price },
      { signal, onWait: (message) => emit({ type: "warning", message }) },
    );
    if (!budget.allowed) {
      return setStatus("budget_exhausted", { error: context.fallback?.budgetReason(budget.reason) ?? budget.reason });
    }
    context.fallback?.settled();

    // Stored before the call goes out: if the process dies waiting for the answer, resume bills this worst case.
    // The last step's tool finishes and the events since, this step's start event last, ride along in it.
    const start = { index: stepIndex, promptTokens, maxOutputTokens: budget.maxOutputTokens };
    emit({ type: "step-started", step: stepIndex, maxOutputTokens: budget.maxOutputTokens, promptTokens });
    // Refused unless the run is still this process's (the hold may have waited): no call goes out then.
    await context.writeAlong((along) => store.recordStepStart(runId, start, { along, leaseOwner: context.leaseOwner }));
    let result: ModelCallResult;
    try {
      result = await callModel(
        resolved,
        {
          prompt: history.prompt,
          tools: wireTools.length > 0 ? wireTools : undefined,
          toolChoice: wireTools.length > 0 ? { type: toolsRequired ? "required" : "auto" } : undefined,
          maxOutputTokens: budget.maxOutputTokens,
          abortSignal: signal,
          headers: { [callRequestIdHeader]: callRequestId(runId, stepIndex) },
          providerOptions: resolved.thinkingOptions?.(rung.thinking),
          // No schema on the wire: it is in the instructions, which the prompt bound already counts.
          responseFormat:
            answerCheck?.json && wireTools.length === 0 && resolved.entry.capabilities.jsonMode
              ? { type: "json" }
              : undefined,
        },
        (kind, text) => emit({ type: kind === "text" ? "text-delta" : "reasoning-delta", step: stepIndex, text }),
      );
    } catch (error) {
      // Recorded now with what it cost and why ($0 if it never reached the provider), then the run stops,
      // unless the model is down and a fallback takes the call over (as a new step, from a fresh hold).
      const failure = await billFailedCall(
        { ...context, resolved },
        run,
        { index: stepIndex, promptTokens, maxOutputTokens: budget.maxOutputTokens, price, signal },
        error,
      );
      const reason = failedCallFallbackReason(error, signal);
      const needs = { prompt: history.prompt, budgeted: settings.budgetUsd !== undefined };
      if (!(await switchModel(context.fallback, stepIndex, resolved, reason, needs, emit))) throw failure;
      run = (await store.getRun(runId)) ?? run;
      continue;
    }
    if (result.speed) emit({ type: "speed", step: stepIndex, ...result.speed });
    const usageReported = result.usage.inputTokens.total !== undefined || result.usage.raw !== undefined;
    const usage = usageReported
      ? resolved.usageOf(result.usage)
      : upperBoundUsage(promptTokens, result.streamed, budget.maxOutputTokens);
    if (!usageReported)
      emit({ type: "warning", message: "the provider reported no usage; billed an upper-bound estimate" });
    const cut = result.finishReason.raw === "insufficient_system_resource";
    const assistant: AssistantMessage = cut
      ? { ...result.assistant, discarded: true }
      : { ...result.assistant, toolCalls: uniqueCallIds(result.assistant.toolCalls, usedCallIds, runId, stepIndex) };
    const finishReason = result.finishReason.raw ?? result.finishReason.unified;
    // Calls that will run without asking are committed `started`: durably marked before they run, in the step's write.
    const startNow = cut ? new Set<string>() : callsStartingNow(assistant.toolCalls, toolContext);
    const recorded = await recordStep(
      { ...context, resolved },
      run,
      { index: stepIndex, assistant, finishReason, usage, price, estimated: !usageReported },
      startNow,
    );
    for (const callId of startNow) toolContext.startedInCommit.add(callId);
    run = recorded.run;
    if (cut) {
      cutAnswers += 1;
      emit({ type: "warning", message: "the provider cut the answer (insufficient_system_resource); asking again" });
      if (cutAnswers >= maximumCutAnswers) {
        const needs = { prompt: history.prompt, budgeted: settings.budgetUsd !== undefined };
        if (await switchModel(context.fallback, stepIndex, resolved, overloadedReason(cutAnswers), needs, emit)) {
          cutAnswers = 0;
          continue;
        }
        return setStatus("failed", { error: "the provider cut the answer for lack of resources three times in a row" });
      }
      continue;
    }
    cutAnswers = 0;
    history.appendAssistant(assistant, stepIndex);
    known = { messageCount: history.messages.length, tokens: usage.inputTokens + usage.outputTokens };
    const { calls } = recorded;
    for (const call of calls) {
      emit({ type: "tool-call", step: stepIndex, callId: call.callId, toolName: call.toolName, input: call.input });
    }
    if (calls.length > 0) {
      const waiting = await runToolCalls(toolContext, calls);
      if (signal.aborted) throw signal.reason ?? new Error("cancelled");
      if (waiting.length > 0) return awaitApproval(waiting, emit, setStatus);
      history.appendToolResults(calls);
    }
    escalation.observe(calls);
    const outcome = stepOutcome(assistant, finishReason, calls, toolsRequired);
    if (outcome.kind !== "continue" && outcome.warning) emit({ type: "warning", message: outcome.warning });
    const settled = outcome.kind === "succeeded" ? await settle(outcome.output) : undefined;
    if (settled) return settled;
  }
}

/**
 * The step's calls, in order, up to the first that a person must answer or the policy denies: these run at once, so
 * they may be marked started in the step's own commit.
 */
function callsStartingNow(calls: AssistantMessage["toolCalls"], context: ToolCallsContext): Set<string> {
  const starting = new Set<string>();
  for (const call of calls) {
    const tool = context.tools.find((candidate) => candidate.name === call.name);
    if (!tool) break;
    const planned = { callId: call.id, toolName: call.name, input: call.input, status: "planned" } as ToolCallRecord;
    if (approvalVerdict(planned, tool, context.settings) !== "run") break;
    starting.add(call.id);
  }
  return starting;
}

/** Tool-call ids must be unique within a run (they key the stored calls); replace empty or repeated ones. */
function uniqueCallIds(
  calls: AssistantMessage["toolCalls"],
  used: Set<string>,
  runId: string,
  stepIndex: number,
): AssistantMessage["toolCalls"] {
  return calls.map((call, position) => {
    const id = call.id && !used.has(call.id) ? call.id : `call_${runId.slice(-8)}_${stepIndex}_${position}`;
    used.add(id);
    return { ...call, id };
  });
}

function awaitApproval(
  waiting: ToolCallRecord[],
  emit: (event: RunEvent) => void,
  setStatus: RunLoopContext["setStatus"],
): Promise<RunRecord> {
  emit({
    type: "approval-required",
    calls: waiting.map((call) => ({
      callId: call.callId,
      toolName: call.toolName,
      input: call.input,
      interrupted: call.status === "started",
    })),
  });
  return setStatus("awaiting_approval");
}

/**
 * The last kept step's token counts (real, or an upper-bound estimate, which is still a bound), so the next
 * prompt estimate only bounds what was added since.
 */
function knownPromptSize(steps: StepRecord[], history: History) {
  const last = [...steps].reverse().find((step) => !step.assistant.discarded);
  // After a compaction the prompt is no longer the one that step's usage measured.
  if (!last || last.assistant.compaction) return undefined;
  // The rebuilt history ends with the last assistant message, plus its tool results when they are in.
  const assistantIndex = history.messages.findLastIndex((message) => message.role === "assistant");
  return { messageCount: assistantIndex + 1, tokens: last.usage.inputTokens + last.usage.outputTokens };
}
