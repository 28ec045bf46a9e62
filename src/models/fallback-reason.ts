import { causeChain, causeChainMessage, causeCodes } from "../errors/cause-chain.ts";

// A host that does not resolve is down for this call as much as one that refuses: another model may be elsewhere.
const unreachableCodes = new Set(["ENOTFOUND", "EAI_AGAIN", "EAI_FAIL", "EAI_NONAME", "EAI_NODATA"]);

/**
 * Why a failed call should move to the next model (`fallbacks`), or undefined when it should fail as today: the
 * provider is down or overloaded (a broken or refused connection, 408/409/429 after the retries, 5xx). A request
 * the provider refused as the caller's fault (400, 401, 402, 404, 422) would fail on any model, so it does not.
 */
export function fallbackReason(error: unknown): string | undefined {
  const status = statusCodeOf(error);
  const message = causeChainMessage(error);
  if (status !== undefined) {
    if (status === 429) return `rate limited (HTTP 429) past the retries: ${message}`;
    if (status >= 500 || status === 408 || status === 409) return `HTTP ${status} past the retries: ${message}`;
    return undefined;
  }
  const retryable = causeChain(error).some((link) => (link as { isRetryable?: unknown } | null)?.isRetryable === true);
  if (retryable || causeCodes(error).some((code) => unreachableCodes.has(code))) {
    return `connection failure: ${message}`;
  }
  return undefined;
}

/** The reason a run's model cut its answers for lack of resources (DeepSeek `insufficient_system_resource`). */
export const overloadedReason = (cuts: number): string =>
  `the provider cut the answer for lack of resources (insufficient_system_resource) ${cuts} times in a row`;

function statusCodeOf(error: unknown): number | undefined {
  for (const link of causeChain(error)) {
    const status = (link as { statusCode?: unknown } | null)?.statusCode;
    if (typeof status === "number") return status;
  }
  return undefined;
}
