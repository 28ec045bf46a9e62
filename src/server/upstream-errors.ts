import { MissingApiKeyError, UnknownModelError } from "../models/model-errors.ts";
import {
  ProviderConnectionError,
  ProviderProtocolError,
  ProviderResponseError,
} from "../models/openai-chat/provider-errors.ts";
import { RequestNotSentError } from "../models/unbilled-call.ts";
import { gatewayFault, messageOf } from "./error-response.ts";
import { GatewayError, InvalidRequestError, NotFoundError, ServerFaultError, UpstreamError } from "./gateway-errors.ts";

/** The AI SDK's APICallError, recognised by shape so any provider package's copy matches. */
interface ApiCallErrorShape {
  name: string;
  statusCode?: number;
  message: string;
  responseHeaders?: Record<string, string>;
}

const isApiCallError = (error: unknown): error is ApiCallErrorShape =>
  error instanceof Error && error.name === "AI_APICallError";

const isTimeout = (error: unknown): boolean =>
  error instanceof Error && (error.name === "TimeoutError" || isTimeout(error.cause));

/**
 * Turns what a model call threw into the answer the caller gets. The upstream's message is kept; its status is
 * mapped by who is at fault: a request the upstream found invalid is the caller's (400), its rate limit is passed
 * on (429), a timeout is 504, and anything else (bad server key, no balance, 5xx, broken connection) is 502.
 */
export function gatewayErrorOf(error: unknown, provider = "the upstream"): GatewayError {
  if (error instanceof GatewayError) return error;
  // Building the request failed in Tansuo before anything was sent: the gateway's fault, named by its cause.
  if (error instanceof RequestNotSentError) return gatewayErrorOf(error.cause, provider);
  if (error instanceof ProviderResponseError) {
    return fromUpstreamStatus(error.statusCode, error.message, error.retryAfterMilliseconds);
  }
  if (isApiCallError(error) && error.statusCode !== undefined) {
    const retryAfter = Number(error.responseHeaders?.["retry-after"]);
    return fromUpstreamStatus(
      error.statusCode,
      `${provider} answered ${error.statusCode}: ${error.message}`,
      Number.isFinite(retryAfter) ? retryAfter * 1000 : undefined,
    );
  }
  if (isTimeout(error)) {
    return new UpstreamError(504, `${provider} did not answer in time: ${messageOf(error)}`, {
      code: "upstream_timeout",
    });
  }
  if (error instanceof ProviderConnectionError || (isApiCallError(error) && error.statusCode === undefined)) {
    return new UpstreamError(502, error.message, { code: "upstream_unreachable" });
  }
  if (error instanceof ProviderProtocolError)
    return new UpstreamError(502, error.message, { code: "upstream_protocol_error" });
  if (error instanceof UnknownModelError) {
    return new NotFoundError(`${error.message} GET /v1/models lists the models this server offers.`, {
      code: "model_not_found",
      param: "model",
    });
  }
  if (error instanceof MissingApiKeyError) return modelNotConfigured(error);
  return gatewayFault(error);
}

/** The operator set no key for the model's provider: the caller can pick another model, the operator add one. */
function modelNotConfigured(error: MissingApiKeyError): GatewayError {
  return new InvalidRequestError(
    `Model ${error.modelId} is not available: this gateway has no API key configured for its provider ` +
      `(${error.provider}). Choose another model from GET /v1/models, or ask the operator to set ` +
      `${error.environmentVariable} or providers.${error.provider}.apiKey in the gateway's config.`,
    { code: "model_not_configured", param: "model" },
  );
}

function fromUpstreamStatus(status: number, message: string, retryAfterMilliseconds: number | undefined): GatewayError {
  if (status === 400 || status === 422) return new UpstreamError(400, message, { code: "upstream_invalid_request" });
  if (status === 429) {
    const seconds = Math.max(1, Math.ceil((retryAfterMilliseconds ?? 1000) / 1000));
    return new UpstreamError(429, message, {
      code: "upstream_rate_limited",
      headers: { "retry-after": String(seconds) },
    });
  }
  if (status === 408 || status === 504) return new UpstreamError(504, message, { code: "upstream_timeout" });
  return new UpstreamError(502, message, { code: "upstream_error" });
}

/** An error inside a stream that had started: whatever broke it, the upstream's answer did not complete. */
export function streamErrorOf(error: unknown, provider: string): GatewayError {
  const mapped = gatewayErrorOf(error, provider);
  if (!(mapped instanceof ServerFaultError)) return mapped;
  return new UpstreamError(502, `${provider}'s stream broke off: ${messageOf(error)}`, {
    code: "upstream_stream_broken",
  });
}
