import type { LanguageModelV3FunctionTool } from "@ai-sdk/provider";
import { costOf } from "../../cost/cost.ts";
import { upperBoundUsage } from "../../cost/estimated-usage.ts";
import type { AppliedPrice } from "../../cost/price.ts";
import type { RunRecord } from "../../store/records.ts";
import { holdRunBudget } from "../budget-gate.ts";
import { type BillingContext, billFailedCall } from "../call-billing.ts";
import { callRequestId, callRequestIdHeader } from "../call-request-id.ts";
import type { History } from "../history.ts";
/** What a compaction step needs from the loop (a part of RunLoopContext). */
import { preCompactHooks } from "../hooks/compaction-hooks.ts";
import { callModel } from "../model-call.ts";
import { promptTokenUpperBound } from "../prompt-estimate.ts";
import type { WriteAlong } from "../run-event-writer.ts";
import { recordStep } from "../step-recorder.ts";
import { compactionSettingsOf, keepRecentSteps, summaryInstruction, summaryRatio } from "./compaction-settings.ts";
import { compactionReason } from "./compaction-trigger.ts";
import { type PlannedMessage, planCompaction } from "./plan-compaction.ts";

export interface CompactionContext extends BillingContext {
  signal: AbortSignal;
  leaseOwner: string;
  writeAlong: (write: WriteAlong) => Promise<void>;
}

export interface CompactionInput {
  run: RunRecord;
  history: History;
  wireTools: LanguageModelV3FunctionTool[];
  /** The next call's prompt bound and wanted output, as the loop is about to hold them. */
  promptTokens: number;
  wantedOutputTokens: number;
  price: AppliedPrice;
  /** Steps left before the run's step limit (the compaction takes one). */
  remainingSteps: number;
}

// Used when no step is in the prompt yet to measure what a step adds.
const fallbackGrowthPerStep = 1_000;

/** Each message's share of the prompt bound, by its bytes (tools counted with the system prompt). */
function plannedMessages(input: CompactionInput): PlannedMessage[] {
  const { history } = input;
  const bytes = history.messages.map((message) => promptTokenUpperBound([message], undefined));
  bytes[0] = (bytes[0] ?? 0) + promptTokenUpperBound([], input.wireTools);
  const total = bytes.reduce((sum, value) => sum + value, 0);
  return bytes.map((value, index) => ({
    tokens: Math.ceil((value * input.promptTokens) / total),
    step: history.stepOfMessage[index],
  }));
}

/**
 * Before a model call: when the prompt nears the window or the call's worst case passes its share of the budget
 * left, old steps are summarised by one model call committed as a step of its own (billed like any call, its start
 * stored first so a crash bills it on resume) and the history is compacted. Returns the run after that step, or
 * undefined when nothing was compacted (not due, nothing old enough, or the budget cannot hold the summary).
 */
export async function compactWhenDue(
  context: CompactionContext,
  input: CompactionInput,
): Promise<RunRecord | undefined> {
  const { run, history, price } = input;
  const settings = compactionSettingsOf(run.settings.compaction);
  if (input.remainingSteps < 2) return undefined;
  const contextWindow = context.resolved.entry.contextWindow;
  const trigger = await compactionReason(
    context.runtime.store,
    run,
    { promptTokens: input.promptTokens, wantedOutputTokens: input.wantedOutputTokens, price, contextWindow },
    settings,
  );
  if (trigger === undefined) return undefined;
  const messages = plannedMessages(input);
  const stepTokens = messages.filter((message) => message.step !== undefined);
  const stepCount = new Set(stepTokens.map((message) => message.step)).size;
  const perMillion = (value: string) => Number(value);
  const rates = {
    cacheHit: perMillion(price.inputCacheHit),
    cacheMiss: perMillion(price.inputCacheMiss),
    output: perMillion(price.output),
  };
  const plan = planCompaction({
    messages,
    price: rates,
    summariserPrice: rates,
    summariserSharesCache: true,
    cacheUnitTokens: 64,
    summaryRatio,
    instructionTokens: Buffer.byteLength(summaryInstruction),
    growthPerStep:
      stepCount > 0
        ? Math.ceil(stepTokens.reduce((sum, message) => sum + message.tokens, 0) / stepCount)
        : fallbackGrowthPerStep,
    contextWindow,
    windowShare: settings.windowShare,
    remainingSteps: input.remainingSteps - 1,
    keepRecentSteps,
    // Near the window it must compact; under budget pressure only when the expected spend is lower.
    force: trigger.kind === "window",
  });
  if (!plan) return undefined;
  // PreCompact hooks hear of it first (as in Claude Code they cannot stop it).
  await preCompactHooks({ ...context, runId: run.id, settings: run.settings });
  if (settings.model !== undefined && settings.model !== context.resolved.entry.id) {
    context.emit({
      type: "warning",
      message: `compaction.model ${settings.model} is not used yet: summarising with the run's own model`,
    });
  }

  const index = run.stepCount;
  const prompt = [
    ...history.prompt.slice(0, plan.toMessage),
    { role: "user" as const, content: [{ type: "text" as const, text: summaryInstruction }] },
  ];
  const promptTokens = promptTokenUpperBound(prompt, input.wireTools);
  const entry = context.resolved.entry;
  const wantedOutputTokens = Math.min(
    entry.defaultOutputTokens ?? entry.maxOutputTokens,
    Math.max(256, Math.ceil(plan.compactedTokens * summaryRatio * 2)),
  );
  const budget = await holdRunBudget(
    context.runtime.store,
    run,
    { promptTokens, wantedOutputTokens, price },
    { signal: context.signal, onWait: (message) => context.emit({ type: "warning", message }) },
  );
  if (!budget.allowed) {
    context.emit({ type: "warning", message: `no compaction: ${budget.reason}` });
    return undefined;
  }
  const start = { index, promptTokens, maxOutputTokens: budget.maxOutputTokens };
  context.emit({ type: "step-started", step: index, maxOutputTokens: budget.maxOutputTokens, promptTokens });
  await context.writeAlong((along) =>
    context.runtime.store.recordStepStart(run.id, start, { along, leaseOwner: context.leaseOwner }),
  );
  let result: Awaited<ReturnType<typeof callModel>>;
  try {
    // The same tools as the run's calls, so the prompt up to the cut is the cached prefix; none may be called.
    result = await callModel(
      context.resolved,
      {
        prompt,
        tools: input.wireTools.length > 0 ? input.wireTools : undefined,
        toolChoice: input.wireTools.length > 0 ? { type: "none" } : undefined,
        maxOutputTokens: budget.maxOutputTokens,
        abortSignal: context.signal,
        headers: { [callRequestIdHeader]: callRequestId(run.id, index) },
        providerOptions: context.resolved.thinkingOptions?.("off"),
      },
      () => {},
    );
  } catch (error) {
    throw await billFailedCall(
      context,
      run,
      { index, promptTokens, maxOutputTokens: budget.maxOutputTokens, price, signal: context.signal },
      error,
    );
  }
  const usageReported = result.usage.inputTokens.total !== undefined || result.usage.raw !== undefined;
  const usage = usageReported
    ? context.resolved.usageOf(result.usage)
    : upperBoundUsage(promptTokens, result.streamed, budget.maxOutputTokens);
  const compactedSteps = new Set(messages.slice(plan.fromMessage, plan.toMessage).map((message) => message.step)).size;
  const summary =
    `Summary of steps 1-${plan.throughStep + 1} (${compactedSteps} compacted; the full history is in the run's ` +
    `store):\n${result.assistant.text.trim()}`;
  const recorded = await recordStep(context, run, {
    index,
    assistant: { text: "", toolCalls: [], compaction: { throughStep: plan.throughStep, summary } },
    finishReason: result.finishReason.raw ?? result.finishReason.unified,
    usage,
    price,
    estimated: !usageReported,
  });
  history.compact(plan.throughStep, summary);
  context.emit({
    type: "compaction",
    step: index,
    compactedSteps,
    tokensBefore: plan.tokensBefore,
    tokensAfter: plan.tokensBefore - plan.compactedTokens + usage.outputTokens,
    costUsd: costOf(usage, price).totalUsd,
    reason: trigger.reason,
  });
  return recorded.run;
}
