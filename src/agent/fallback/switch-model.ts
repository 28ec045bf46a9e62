import { fallbackReason } from "../../models/fallback-reason.ts";
import type { ResolvedModel } from "../../models/resolved-model.ts";
import { UnansweredCallError } from "../model-call.ts";
import type { RunEvent } from "../run-events.ts";
import type { ModelFallback, TakeOverNeeds } from "./model-fallback.ts";

/**
 * Why a failed step's call should be made again on the next model: only a call that failed before any answer
 * began (nothing of it is in the transcript) and for a reason the provider is to blame for; never a cancel.
 */
export function failedCallFallbackReason(error: unknown, signal: AbortSignal): string | undefined {
  if (signal.aborted || !(error instanceof UnansweredCallError)) return undefined;
  return fallbackReason(error.cause);
}

/**
 * Moves the run to its next fallback model for `reason` (the failed call is already billed); undefined when the run
 * has none left, after a warning saying why the ones left could not take over.
 */
export async function switchModel(
  fallback: ModelFallback | undefined,
  step: number,
  from: ResolvedModel,
  reason: string | undefined,
  needs: TakeOverNeeds,
  emit: (event: RunEvent) => void,
): Promise<ResolvedModel | undefined> {
  if (!fallback || reason === undefined || !fallback.hasNext) return undefined;
  const next = await fallback.next(step, `${from.entry.id}: ${reason}`, needs, emit);
  if (!next) emit({ type: "warning", message: `no fallback model could take over: ${fallback.exhausted.join("; ")}` });
  return next;
}
