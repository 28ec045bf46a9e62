/**
 * The header each model call carries so the provider's records name the ledger line it belongs to: OpenAI logs a
 * client's `X-Client-Request-Id`; other providers ignore it. One id per step of a run (a retried request keeps it).
 */
export const callRequestIdHeader = "x-client-request-id";

/** The run and the step index its ledger line is stored under. */
export const callRequestId = (runId: string, stepIndex: number): string => `${runId}/step-${stepIndex}`;
