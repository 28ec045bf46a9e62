import type { LanguageModelV3, LanguageModelV3CallOptions } from "@ai-sdk/provider";
import { causeCodes } from "../errors/cause-chain.ts";

export interface RetryPolicy {
  /** Retries after the first attempt. */
  maxRetries: number;
  initialDelayMilliseconds: number;
  maxDelayMilliseconds: number;
  /** Told of each retry before the wait, so the caller can show it. */
  onRetry?: (event: { attempt: number; delayMilliseconds: number; error: unknown }) => void;
}

export const defaultRetryPolicy: RetryPolicy = {
  maxRetries: 4,
  initialDelayMilliseconds: 1000,
  maxDelayMilliseconds: 30_000,
};

interface MaybeRetryable {
  isRetryable?: boolean;
  retryAfterMilliseconds?: number;
  responseHeaders?: Record<string, string>;
}

// A host name that does not resolve stays unresolved for seconds to come (a typo, no network): retrying only waits.
const nameResolutionCodes = new Set(["ENOTFOUND", "EAI_AGAIN"]);

/**
 * True for 408/409/429/5xx and broken connections, as our errors and the AI SDK's APICallError mark them, except a
 * failed DNS look-up anywhere in the cause chain.
 */
export function isRetryableError(error: unknown): boolean {
  if (typeof error !== "object" || error === null || (error as MaybeRetryable).isRetryable !== true) return false;
  return !causeCodes(error).some((code) => nameResolutionCodes.has(code));
}

function retryAfterOf(error: unknown): number | undefined {
  const candidate = error as MaybeRetryable;
  if (typeof candidate?.retryAfterMilliseconds === "number") return candidate.retryAfterMilliseconds;
  const header = candidate?.responseHeaders?.["retry-after"];
  const seconds = header === undefined ? Number.NaN : Number(header);
  return Number.isFinite(seconds) ? seconds * 1000 : undefined;
}

/** Capped exponential back-off that honours the provider's Retry-After when it asks for longer. */
export function retryDelay(policy: RetryPolicy, attempt: number, error: unknown): number {
  const exponential = Math.min(policy.maxDelayMilliseconds, policy.initialDelayMilliseconds * 2 ** (attempt - 1));
  const asked = retryAfterOf(error);
  return asked === undefined ? exponential : Math.min(Math.max(asked, exponential), policy.maxDelayMilliseconds * 4);
}

const sleep = (milliseconds: number, signal?: AbortSignal) =>
  new Promise<void>((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const timer = setTimeout(resolve, milliseconds);
    signal?.addEventListener(
      "abort",
      () => {
        clearTimeout(timer);
        reject(signal.reason);
      },
      { once: true },
    );
  });

/** Runs `attempt` again on retryable errors; 400/401/402/422 and other caller errors fail at once. */
export async function withRetries<T>(
  policy: RetryPolicy,
  signal: AbortSignal | undefined,
  attempt: () => PromiseLike<T>,
): Promise<T> {
  for (let attemptNumber = 1; ; attemptNumber++) {
    try {
      return await attempt();
    } catch (error) {
      if (signal?.aborted || attemptNumber > policy.maxRetries || !isRetryableError(error)) throw error;
      const delayMilliseconds = retryDelay(policy, attemptNumber, error);
      policy.onRetry?.({ attempt: attemptNumber, delayMilliseconds, error });
      await sleep(delayMilliseconds, signal);
    }
  }
}

/** Wraps a model so the opening of every call is retried per the policy; a stream is not restarted midway. */
export function retryingModel(model: LanguageModelV3, policy: RetryPolicy): LanguageModelV3 {
  return {
    specificationVersion: "v3",
    provider: model.provider,
    modelId: model.modelId,
    supportedUrls: model.supportedUrls,
    doGenerate: (options: LanguageModelV3CallOptions) =>
      withRetries(policy, options.abortSignal, () => model.doGenerate(options)),
    doStream: (options: LanguageModelV3CallOptions) =>
      withRetries(policy, options.abortSignal, () => model.doStream(options)),
  };
}
