import type { LanguageModelV3FunctionTool } from "@ai-sdk/provider";
import { costOf } from "../cost/cost.ts";
import { emptyUsage } from "../cost/usage.ts";
import type { ResolvedModel } from "../models/resolved-model.ts";
import type { RunRecord, RunStatus, StepRecord, ToolCallRecord } from "../store/records.ts";
import { finishedStatuses } from "../store/records.ts";
import { finishTool } from "../tools/builtin/finish.ts";
import { selectTools } from "../tools/builtin-tools.ts";
import { toolJsonSchema } from "../tools/tool.ts";
import { Workspace } from "../tools/workspace.ts";
import { RunStateError } from "./agent-errors.ts";
import type { Approver } from "./approval.ts";
import { decideBudget } from "./budget-gate.ts";
import { finishAnswer } from "./finish-answer.ts";
import { History } from "./history.ts";
import { callModel, InterruptedAnswerError, type ModelCallResult } from "./model-call.ts";
import { promptTokenUpperBound } from "./prompt-estimate.ts";
import type { RunEvent, RunEventListener } from "./run-events.ts";
import type { AgentRuntime } from "./runtime.ts";
import { runToolCalls, type ToolCallsContext } from "./tool-calls.ts";

export interface ExecuteRunOptions {
  signal?: AbortSignal;
  onEvent?: RunEventListener;
  /** Asks a person about tool calls that need approval; without it such a run stops at awaiting_approval. */
  approver?: Approver;
}

// DeepSeek may cut an answer for lack of resources; such an answer is billed, discarded and asked again.
const maximumCutAnswers = 3;
const cancellationPollMilliseconds = 500;

/**
 * Runs (or resumes) a run until it finishes or waits for approval. Everything it needs is read from the store,
 * so the same call continues a run that another process started and that was killed at any point.
 */
export async function executeRun(
  runtime: AgentRuntime,
  runId: string,
  options: ExecuteRunOptions = {},
): Promise<RunRecord> {
  const { store } = runtime;
  const run = store.getRun(runId);
  if (!run) throw new RunStateError(`No run with id ${runId}. List runs with \`tansuo runs list\`.`);
  // Failed and budget-exhausted runs may continue (after a fix, or with a larger budget); the others are final.
  if (run.status === "succeeded" || run.status === "cancelled") return run;
  if (runtime.activeRuns.has(runId)) throw new RunStateError(`Run ${runId} is already running in this process.`);

  const controller = new AbortController();
  runtime.activeRuns.set(runId, controller);
  const onOuterAbort = () => controller.abort(options.signal?.reason);
  options.signal?.addEventListener("abort", onOuterAbort, { once: true });
  // A `tansuo cancel` from another process only reaches us through the store.
  const poll = setInterval(() => {
    if (store.getRun(runId)?.status === "cancelled") controller.abort(new Error("cancelled"));
  }, cancellationPollMilliseconds);
  poll.unref();

  const emit = (event: RunEvent) => {
    const record = store.appendEvent(runId, event.type, event);
    runtime.events.publish(runId, { ...event, sequence: record.sequence });
    options.onEvent?.(event);
  };
  const setStatus = (status: RunStatus, details: { output?: string; error?: string } = {}) => {
    const updated = store.setRunStatus(runId, status, details);
    emit({ type: "status", status, reason: details.error });
    if (finishedStatuses.includes(status)) {
      emit({ type: "finished", status, output: updated.output, error: updated.error, costUsd: updated.costUsd });
    }
    return updated;
  };

  let resolved: ResolvedModel | undefined;
  try {
    resolved = await runtime.resolveModel(run.settings.model, {
      baseUrl: run.settings.baseUrl,
      retryPolicy: runtime.retryPolicy && {
        ...runtime.retryPolicy,
        onRetry: (retry) =>
          emit({
            type: "retry",
            attempt: retry.attempt,
            delayMilliseconds: retry.delayMilliseconds,
            message: retry.error instanceof Error ? retry.error.message : String(retry.error),
          }),
      },
    });
    return await loop(runtime, run, resolved, { ...options, signal: controller.signal }, emit, setStatus);
  } catch (error) {
    const current = store.getRun(runId);
    if (current?.status === "cancelled" || controller.signal.aborted) {
      return current?.status === "cancelled" ? current : setStatus("cancelled", { error: "cancelled by the user" });
    }
    const message = error instanceof Error ? error.message : String(error);
    return setStatus("failed", { error: `${message} (the run is saved; \`tansuo resume ${runId}\` continues it)` });
  } finally {
    clearInterval(poll);
    options.signal?.removeEventListener("abort", onOuterAbort);
    runtime.activeRuns.delete(runId);
    await resolved?.close();
  }
}

async function loop(
  runtime: AgentRuntime,
  initial: RunRecord,
  resolved: ResolvedModel,
  options: ExecuteRunOptions & { signal: AbortSignal },
  emit: (event: RunEvent) => void,
  setStatus: (status: RunStatus, details?: { output?: string; error?: string }) => RunRecord,
): Promise<RunRecord> {
  const { store } = runtime;
  const runId = initial.id;
  const settings = initial.settings;
  const tools = selectTools(settings.tools);
  const workspace = new Workspace(settings.workspace);
  const toolsRequired = settings.toolChoice === "required";
  const wireTools: LanguageModelV3FunctionTool[] = [...tools, ...(toolsRequired ? [finishTool] : [])].map((tool) => ({
    type: "function",
    name: tool.name,
    description: tool.description,
    inputSchema: toolJsonSchema(tool),
  }));
  const steps = store.listSteps(runId);
  const toolCalls = store.listToolCalls(runId);
  const history = History.rebuild(settings, steps, toolCalls);
  const toolContext: ToolCallsContext = {
    runtime,
    runId,
    settings,
    tools: toolsRequired ? [...tools, finishTool] : tools,
    workspace,
    signal: options.signal,
    approver: options.approver,
    emit,
  };
  setStatus("running");

  // Finish what the last step left: planned, approved, awaiting or interrupted tool calls.
  const lastStep = steps.at(-1);
  if (lastStep && !lastStep.assistant.discarded) {
    const pending = toolCalls.filter((call) => call.stepIndex === lastStep.index);
    const unfinished = pending.filter((call) => call.status !== "finished" && call.status !== "denied");
    if (unfinished.length > 0) {
      const waiting = await runToolCalls(toolContext, pending);
      if (waiting.length > 0) return awaitApproval(waiting, emit, setStatus);
      history.appendToolResults(pending);
      const finished = finishAnswer(pending);
      if (finished !== undefined) return setStatus("succeeded", { output: finished });
    } else if (lastStep.assistant.toolCalls.length === 0) {
      return setStatus("succeeded", { output: lastStep.assistant.text });
    }
  }

  let run = store.getRun(runId)!;
  let known = knownPromptSize(steps, history);
  let cutAnswers = 0;
  while (true) {
    if (options.signal.aborted) throw options.signal.reason ?? new Error("cancelled");
    const stepIndex = run.stepCount;
    if (stepIndex >= settings.maxSteps) {
      return setStatus("failed", { error: `reached the step limit (${settings.maxSteps}) before the task was done` });
    }
    const price = resolved.priceAt(new Date());
    const promptTokens = promptTokenUpperBound(history.prompt, wireTools, known);
    const wantedOutputTokens = resolved.entry.defaultOutputTokens ?? resolved.entry.maxOutputTokens;
    const budget = decideBudget({
      budgetUsd: settings.budgetUsd,
      spentUsd: run.costUsd,
      promptTokens,
      wantedOutputTokens,
      price,
    });
    if (!budget.allowed) return setStatus("budget_exhausted", { error: budget.reason });

    emit({ type: "step-started", step: stepIndex, maxOutputTokens: budget.maxOutputTokens });
    const result = await billInterruptedAnswer(runtime, run, resolved, stepIndex, promptTokens, emit, () =>
      callModel(
        resolved,
        {
          prompt: history.prompt,
          tools: wireTools.length > 0 ? wireTools : undefined,
          toolChoice: wireTools.length > 0 ? { type: toolsRequired ? "required" : "auto" } : undefined,
          maxOutputTokens: budget.maxOutputTokens,
          abortSignal: options.signal,
          providerOptions: thinkingOption(settings.thinking),
        },
        (kind, text) => emit({ type: kind === "text" ? "text-delta" : "reasoning-delta", step: stepIndex, text }),
      ),
    );
    const usage = resolved.usageOf(result.usage);
    const cost = costOf(usage, price);
    const cut = result.finishReason.raw === "insufficient_system_resource";
    const assistant = cut ? { ...result.assistant, discarded: true } : result.assistant;
    const at = new Date().toISOString();
    const step: StepRecord = {
      runId,
      index: stepIndex,
      assistant,
      finishReason: result.finishReason.raw ?? result.finishReason.unified,
      usage,
      costUsd: cost.totalUsd,
      price: cost.price,
      model: resolved.entry.id,
      createdAt: at,
    };
    const calls: ToolCallRecord[] = cut
      ? []
      : assistant.toolCalls.map((call, position) => ({
          runId,
          stepIndex,
          position,
          callId: call.id,
          toolName: call.name,
          input: call.input,
          status: "planned",
          isError: false,
        }));
    run = store.commitStep({
      step,
      ledger: {
        at,
        runId,
        keyId: run.ownerKeyId,
        model: resolved.entry.id,
        usage,
        costUsd: cost.totalUsd,
        price: cost.price,
      },
      toolCalls: calls,
    });
    emit({
      type: "usage",
      step: stepIndex,
      usage,
      costUsd: cost.totalUsd,
      totalCostUsd: run.costUsd,
      totalUsage: run.usage,
    });
    if (cut) {
      cutAnswers += 1;
      emit({ type: "warning", message: `the provider cut the answer (insufficient_system_resource); asking again` });
      if (cutAnswers >= maximumCutAnswers) {
        return setStatus("failed", { error: "the provider cut the answer for lack of resources three times in a row" });
      }
      continue;
    }
    cutAnswers = 0;
    history.appendAssistant(step);
    known = { messageCount: history.messages.length, tokens: usage.inputTokens + usage.outputTokens };
    if (calls.length === 0) {
      const cutShort = result.finishReason.unified === "length";
      // A model that had to call a tool, or was cut off before saying anything, gets another step to do so.
      if (toolsRequired || (cutShort && assistant.text.trim() === "")) {
        emit({
          type: "warning",
          message: cutShort
            ? "the answer was cut at the output limit before a complete tool call or answer"
            : "the model answered without calling a tool; asking again",
        });
        continue;
      }
      if (cutShort) emit({ type: "warning", message: "the answer was cut at the output limit" });
      return setStatus("succeeded", { output: assistant.text });
    }
    for (const call of calls) {
      emit({ type: "tool-call", step: stepIndex, callId: call.callId, toolName: call.toolName, input: call.input });
    }
    const waiting = await runToolCalls(toolContext, calls);
    if (options.signal.aborted) throw options.signal.reason ?? new Error("cancelled");
    if (waiting.length > 0) return awaitApproval(waiting, emit, setStatus);
    history.appendToolResults(calls);
    const finished = finishAnswer(calls);
    if (finished !== undefined) return setStatus("succeeded", { output: finished });
  }
}

/**
 * Runs one model call; if it breaks off after the provider started answering, records a discarded step billed at
 * an upper-bound estimate (prompt bound at the miss price, streamed bytes as output tokens), then rethrows.
 */
async function billInterruptedAnswer(
  runtime: AgentRuntime,
  run: RunRecord,
  resolved: ResolvedModel,
  stepIndex: number,
  promptTokens: number,
  emit: (event: RunEvent) => void,
  call: () => Promise<ModelCallResult>,
): Promise<ModelCallResult> {
  try {
    return await call();
  } catch (error) {
    if (!(error instanceof InterruptedAnswerError)) throw error;
    const usage = {
      ...emptyUsage(),
      inputTokens: promptTokens,
      cacheMissTokens: promptTokens,
      outputTokens: error.streamedBytes,
    };
    const cost = costOf(usage, resolved.priceAt(new Date()));
    const at = new Date().toISOString();
    const price = { ...cost.price, estimated: true };
    const updated = runtime.store.commitStep({
      step: {
        runId: run.id,
        index: stepIndex,
        assistant: { ...error.partial, discarded: true },
        finishReason: "interrupted",
        usage,
        costUsd: cost.totalUsd,
        price,
        model: resolved.entry.id,
        createdAt: at,
      },
      ledger: {
        at,
        runId: run.id,
        keyId: run.ownerKeyId,
        model: resolved.entry.id,
        usage,
        costUsd: cost.totalUsd,
        price,
      },
      toolCalls: [],
    });
    emit({
      type: "usage",
      step: stepIndex,
      usage,
      costUsd: cost.totalUsd,
      totalCostUsd: updated.costUsd,
      totalUsage: updated.usage,
    });
    throw error.cause;
  }
}

function awaitApproval(
  waiting: ToolCallRecord[],
  emit: (event: RunEvent) => void,
  setStatus: (status: RunStatus, details?: { output?: string; error?: string }) => RunRecord,
): RunRecord {
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

/** The last committed step's real token counts, so the next prompt estimate only bounds what was added since. */
function knownPromptSize(steps: StepRecord[], history: History) {
  const last = [...steps].reverse().find((step) => !step.assistant.discarded);
  if (!last) return undefined;
  // The rebuilt history ends with the last assistant message, plus its tool results when they are in.
  const assistantIndex = history.messages.findLastIndex((message) => message.role === "assistant");
  return { messageCount: assistantIndex + 1, tokens: last.usage.inputTokens + last.usage.outputTokens };
}

function thinkingOption(thinking: "on" | "off" | "auto") {
  if (thinking === "auto") return undefined;
  return { tansuo: { thinking: thinking === "on" ? "enabled" : "disabled" } };
}
