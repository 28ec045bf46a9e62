import { nothingStreamed, upperBoundUsage } from "../cost/estimated-usage.ts";
import type { AppliedPrice } from "../cost/price.ts";
import { emptyUsage } from "../cost/usage.ts";
import type { RunRecord } from "../store/records.ts";
import { InterruptedAnswerError, UnansweredCallError } from "./model-call.ts";
import { recordStep, type StepRecorderContext } from "./step-recorder.ts";

export interface BillingContext extends StepRecorderContext {
  /** Throws when this process no longer holds the run's lease: the new owner bills the call instead. */
  keepLease?: () => Promise<void>;
}

/** The model call that failed, as it was sent. */
export interface FailedCall {
  index: number;
  promptTokens: number;
  /** The output allowance sent (max_tokens): the provider generates no more. */
  maxOutputTokens: number;
  price: AppliedPrice;
  /** The run's signal: aborted when the user interrupted or cancelled the run. */
  signal: AbortSignal;
}

const stopReason = (signal: AbortSignal): string => {
  const reason = signal.reason instanceof Error ? signal.reason.message : "";
  if (/cancel/.test(reason)) return "cancelled by the user";
  return /took the run/.test(reason) ? `stopped: ${reason}` : "interrupted by the user";
};

/**
 * Records a model call that did not end with an answer, as a discarded step that says what it cost and why: $0 when
 * it provably never reached the provider (an error answer, a connection never made); otherwise an upper bound
 * (the prompt bound plus what streamed), so the recorded spend never falls below the invoice. Returns the error the
 * run ends with.
 */
export async function billFailedCall(
  context: BillingContext,
  run: RunRecord,
  call: FailedCall,
  error: unknown,
): Promise<unknown> {
  const aborted = call.signal.aborted;
  if (error instanceof UnansweredCallError && error.unbilledReason) {
    await record(context, run, call, {
      finishReason: "not-billed",
      discardReason: `${error.unbilledReason}; cost $0 (${error.message})`,
      usage: emptyUsage(),
      estimated: false,
    });
    return error.cause;
  }
  const interrupted = error instanceof InterruptedAnswerError;
  const why = aborted
    ? stopReason(call.signal)
    : interrupted
      ? `the stream broke off (${error.message})`
      : `no answer came (${error instanceof Error ? error.message : String(error)}); the request may have reached the provider`;
  await record(context, run, call, {
    finishReason: interrupted ? "interrupted" : "no-answer",
    discardReason: `${why}; billed an upper bound: the prompt bound plus what streamed`,
    usage: upperBoundUsage(call.promptTokens, interrupted ? error.streamed : nothingStreamed, call.maxOutputTokens),
    estimated: true,
    partial: interrupted ? error.partial : undefined,
  });
  return error instanceof InterruptedAnswerError || error instanceof UnansweredCallError ? error.cause : error;
}

async function record(
  context: BillingContext,
  run: RunRecord,
  call: FailedCall,
  step: {
    finishReason: string;
    discardReason: string;
    usage: ReturnType<typeof emptyUsage>;
    estimated: boolean;
    partial?: InterruptedAnswerError["partial"];
  },
): Promise<void> {
  await context.keepLease?.();
  const assistant = {
    ...(step.partial ?? { text: "", toolCalls: [] }),
    discarded: true,
    discardReason: step.discardReason,
  };
  await recordStep(context, run, {
    index: call.index,
    assistant,
    finishReason: step.finishReason,
    usage: step.usage,
    price: call.price,
    estimated: step.estimated,
  });
  context.emit({ type: "warning", message: `model call ${call.index + 1}: ${step.discardReason}` });
}

/**
 * A call whose step start is stored but whose step is not: the process died waiting for the answer.
 * The provider may have billed it, so record its worst case (the prompt bound and output allowance it was sent with).
 */
export async function billCallLostInCrash(context: BillingContext, run: RunRecord): Promise<RunRecord> {
  const started = await context.runtime.store.lastStepStart(run.id);
  if (started === undefined || started.index < run.stepCount) return run;
  const discardReason =
    "lost in a crash: the process died waiting for the answer; billed its worst case (prompt bound and output allowance)";
  context.emit({ type: "warning", message: `model call ${started.index + 1}: ${discardReason}` });
  const recorded = await recordStep(context, run, {
    index: started.index,
    assistant: { text: "", toolCalls: [], discarded: true, discardReason },
    finishReason: "lost-in-crash",
    usage: upperBoundUsage(started.promptTokens, undefined, started.maxOutputTokens),
    price: context.resolved.priceAt(new Date()),
    estimated: true,
  });
  return recorded.run;
}
