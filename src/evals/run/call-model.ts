import { costOf } from "../../cost/cost.ts";
import type { AppliedPrice } from "../../cost/price.ts";
import type { TokenUsage } from "../../cost/usage.ts";
import type { ResolvedModel } from "../../models/resolved-model.ts";
import { ModelUnavailableError } from "../eval-errors.ts";
import type { SuiteAnswer, SuitePrompt } from "../suites/suite-definition.ts";

export interface ModelAnswer extends SuiteAnswer {
  finishReason: string;
  usage: TokenUsage;
  costUsd: string;
  latencyMs: number;
}

export interface CallSettings {
  temperature: number;
  maxOutputTokens: number;
  abortSignal?: AbortSignal;
}

// Errors that every later call would repeat: a wrong key, no balance, no such model, a feature the model lacks.
function isFatal(error: unknown): boolean {
  const status = (error as { statusCode?: unknown } | null)?.statusCode;
  const name = (error as { name?: unknown } | null)?.name;
  return (
    status === 401 ||
    status === 402 ||
    status === 403 ||
    status === 404 ||
    name === "AI_UnsupportedFunctionalityError" ||
    name === "AI_LoadAPIKeyError"
  );
}

/** Asks the model one task (the provider retries transient failures) and prices the answer at the time of the call. */
export async function callModel(
  resolved: ResolvedModel,
  request: SuitePrompt,
  settings: CallSettings,
): Promise<ModelAnswer> {
  const calledAt = new Date();
  const started = performance.now();
  let result: Awaited<ReturnType<ResolvedModel["model"]["doGenerate"]>>;
  try {
    result = await resolved.model.doGenerate({
      ...request,
      temperature: settings.temperature,
      maxOutputTokens: settings.maxOutputTokens,
      ...(settings.abortSignal ? { abortSignal: settings.abortSignal } : {}),
    });
  } catch (error) {
    if (isFatal(error)) {
      throw new ModelUnavailableError(`${resolved.entry.id} cannot answer: ${(error as Error).message}`, {
        cause: error,
      });
    }
    throw error;
  }
  const latencyMs = Math.round(performance.now() - started);
  return { ...answerFromResult(resolved, result, resolved.priceAt(calledAt)), latencyMs };
}

/** A model's result as the suite scores it, priced at the rates given (the list price, or a batch's). */
export function answerFromResult(
  resolved: ResolvedModel,
  result: Awaited<ReturnType<ResolvedModel["model"]["doGenerate"]>>,
  price: AppliedPrice,
): Omit<ModelAnswer, "latencyMs"> {
  const usage = resolved.usageOf(result.usage);
  const text = result.content.flatMap((part) => (part.type === "text" ? [part.text] : [])).join("");
  const toolCalls = result.content.flatMap((part) =>
    part.type === "tool-call" ? [{ toolName: part.toolName, input: part.input }] : [],
  );
  return {
    text,
    toolCalls,
    finishReason: result.finishReason.unified,
    usage,
    costUsd: costOf(usage, price).totalUsd,
  };
}
