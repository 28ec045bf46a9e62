import { TansuoError } from "../errors/tansuo-error.ts";

// Failures of the connection itself: nothing was sent to the provider (refused, no route, no such host).
const connectionNeverMade = new Set([
  "ECONNREFUSED",
  "ENOTFOUND",
  "EAI_AGAIN",
  "EAI_FAIL",
  "EAI_NONAME",
  "EAI_NODATA",
  "EHOSTUNREACH",
  "ENETUNREACH",
  "EADDRNOTAVAIL",
]);
// TLS fails in the handshake, before the HTTP request is written, so the provider never saw the prompt.
const tlsFailure =
  /^(ERR_TLS_|ERR_SSL_|CERT_|UNABLE_TO_|DEPTH_ZERO_SELF_SIGNED_CERT$|SELF_SIGNED_CERT_IN_CHAIN$|EPROTO$)/;

/** Building the request failed inside Tansuo (the prompt could not be converted or serialised): nothing was sent. */
export class RequestNotSentError extends TansuoError {
  override readonly name = "RequestNotSentError";
  readonly kind = "internal";
  readonly isRetryable = false;
  constructor(
    readonly provider: string,
    cause: unknown,
  ) {
    super(
      `Tansuo could not build the request to ${provider}, so it was never sent: ` +
        `${cause instanceof Error ? cause.message : String(cause)}`,
      { cause },
    );
  }
}

interface ErrorShape {
  code?: unknown;
  statusCode?: unknown;
  cause?: unknown;
  message?: unknown;
}

/**
 * Why a failed model call provably cost nothing, or undefined when the provider may have billed it. Providers bill
 * no error answer (an HTTP status outside 2xx: 400, 401, 402, 404, 429, 5xx), and a call whose connection was
 * never made never reached them; a connection that broke after the request went out (a reset, a timeout) may have
 * been answered and billed, so it is not counted here.
 */
export function unbilledReason(error: unknown): string | undefined {
  const seen = new Set<unknown>();
  for (let current = error; typeof current === "object" && current !== null; current = (current as ErrorShape).cause) {
    if (seen.has(current)) break;
    seen.add(current);
    if (current instanceof RequestNotSentError) return "the request was never sent (building it failed in Tansuo)";
    const { code, statusCode } = current as ErrorShape;
    if (typeof statusCode === "number" && (statusCode < 200 || statusCode > 299)) {
      return `the provider answered with an error (HTTP ${statusCode}), which is not billed`;
    }
    if (typeof code === "string" && connectionNeverMade.has(code)) {
      return `the provider was never reached (${code}: the connection could not be made)`;
    }
    if (typeof code === "string" && tlsFailure.test(code)) {
      return `the provider was never reached (${code}: the TLS handshake failed before the request was sent)`;
    }
  }
  return undefined;
}
